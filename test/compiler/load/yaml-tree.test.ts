import { describe, expect, test } from 'vitest';
import { parseYamlDocuments, mapGet, type YNode } from '../../../compiler/load/yaml-tree.ts';

function doc(text: string): YNode {
  const r = parseYamlDocuments(text);
  if ('error' in r) throw new Error(r.error.message);
  return r.docs[0]!;
}

describe('YAML decoded as yaml-cpp decodes it', () => {
  test('scalars keep their source text', () => {
    const d = doc('items: [80, 0x1F, 1.0, true, yes, 0755, 1e3, "quoted"]');
    const items = d.kind === 'map' ? mapGet(d, 'items') : undefined;
    expect(items?.kind === 'seq' && items.items.map((i) => (i.kind === 'scalar' ? i.value : i.kind))).toEqual([
      '80', '0x1F', '1.0', 'true', 'yes', '0755', '1e3', 'quoted',
    ]);
  });

  test('plain null words are nulls, quoted ones are text', () => {
    const d = doc('a: ~\nb: null\nc:\nd: "null"');
    expect(d.kind === 'map' && d.pairs.map((p) => p.value.kind)).toEqual(['null', 'null', 'null', 'scalar']);
  });

  test('unknown local tags are accepted (desc: != x)', () => {
    const d = doc('desc: != x');
    expect(d.kind === 'map' && mapGet(d, 'desc')).toMatchObject({ kind: 'scalar', value: 'x' });
  });

  test('duplicate keys: the first one is read, as yaml-cpp does', () => {
    const d = doc('rule: first\nrule: second');
    expect(d.kind === 'map' && mapGet(d, 'rule')).toMatchObject({ value: 'first' });
  });

  test('several documents, and positions of every node', () => {
    const r = parseYamlDocuments('- a: 1\n---\n- b: 2\n');
    expect('docs' in r && r.docs.length).toBe(2);
    const second = 'docs' in r ? r.docs[1]! : undefined;
    expect(second?.start).toBe(11);
  });

  test('syntax errors report an offset', () => {
    const r = parseYamlDocuments('- rule: x\n  desc: [unclosed\n');
    expect('error' in r && r.error.message).toBeTruthy();
  });

  test('an alias to its own container is refused, not looped on', () => {
    const r = parseYamlDocuments('a: &x [*x]');
    expect(r).toBeDefined();
  });
});
