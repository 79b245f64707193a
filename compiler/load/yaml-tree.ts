// Rules files decoded the way Falco's yaml-cpp decodes them, into a small tree where every node
// keeps its source offset.
//
// The YAML library is only asked for structure: every scalar stays the text it was written as
// (failsafe schema: `yes`, `0755`, `1e3` remain strings; the loader converts per key, see
// reader.ts), unknown local tags such as `desc: != x` are accepted, duplicate keys are kept in
// order (lookups take the first, as yaml-cpp does), and `~`/`null`/empty plain scalars are nulls.
import { parseAllDocuments, isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode, Scalar } from 'yaml';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface Base {
  /** Offset of the node's first character in the file. */
  start: number;
  /** Offset just past the node's value. */
  end: number;
}
export interface YScalar extends Base { kind: 'scalar'; value: string; style: ScalarStyle }
export interface YSeq extends Base { kind: 'seq'; items: YNode[] }
export interface YMap extends Base { kind: 'map'; pairs: { key: YNode; value: YNode }[] }
export interface YNull extends Base { kind: 'null' }
export type YNode = YScalar | YSeq | YMap | YNull;

export interface YamlFailure {
  message: string;
  offset: number;
}

const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const STYLES: Record<string, ScalarStyle> = {
  PLAIN: 'plain', QUOTE_SINGLE: 'single', QUOTE_DOUBLE: 'double', BLOCK_LITERAL: 'literal', BLOCK_FOLDED: 'folded',
};

/** Parses every document of a file; a syntax error anywhere fails the whole file, as in Falco. */
export function parseYamlDocuments(text: string): { docs: YNode[] } | { error: YamlFailure } {
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, strict: false, prettyErrors: false }) as Document.Parsed[];
  } catch (e) {
    return { error: { message: (e as Error).message, offset: 0 } };
  }
  if (!Array.isArray(docs)) docs = [docs];
  for (const d of docs) {
    const err = d.errors[0];
    if (err) return { error: { message: err.message.split('\n')[0]!, offset: err.pos[0] } };
  }
  try {
    return { docs: docs.map((d) => convert(d, d.contents as YamlNode | null, 0, text.length)) };
  } catch (e) {
    if (e instanceof AliasLoop) return { error: { message: e.message, offset: e.offset } };
    throw e;
  }
}

class AliasLoop extends Error {
  constructor(readonly offset: number) {
    super('alias refers to a node that contains it');
  }
}

function convert(doc: Document.Parsed, n: YamlNode | null, fallback: number, end: number, depth = 0): YNode {
  if (n === null || n === undefined) return { kind: 'null', start: fallback, end: fallback };
  const [start, valueEnd] = n.range ?? [fallback, fallback];
  if (isAlias(n)) {
    if (depth > 64) throw new AliasLoop(start);
    const target = n.resolve(doc);
    const node = convert(doc, (target as YamlNode | undefined) ?? null, start, end, depth + 1);
    return { ...node, start, end: valueEnd };
  }
  if (isScalar(n)) {
    const s = n as Scalar;
    const style = STYLES[s.type ?? 'PLAIN'] ?? 'plain';
    const text = typeof s.value === 'string' ? s.value : String(s.source ?? s.value ?? '');
    if (style === 'plain' && NULL_WORDS.has(text)) return { kind: 'null', start, end: valueEnd };
    return { kind: 'scalar', value: text, style, start, end: valueEnd };
  }
  if (isSeq(n)) {
    return { kind: 'seq', start, end: valueEnd, items: n.items.map((i) => convert(doc, i as YamlNode | null, start, end, depth)) };
  }
  if (isMap(n)) {
    return {
      kind: 'map',
      start,
      end: valueEnd,
      pairs: n.items.map((p) => {
        const key = convert(doc, p.key as YamlNode | null, start, end, depth);
        // `key:` with nothing after it: a null placed right after the key.
        const value = convert(doc, p.value as YamlNode | null, key.end, end, depth);
        return { key, value };
      }),
    };
  }
  return { kind: 'null', start, end: valueEnd };
}

/** yaml-cpp's `node[key]`: the first pair whose key is that scalar. */
export function mapGet(m: YMap, key: string): YNode | undefined {
  for (const p of m.pairs) if (p.key.kind === 'scalar' && p.key.value === key) return p.value;
  return undefined;
}

export function mapKeys(m: YMap): { key: string; node: YNode }[] {
  const out: { key: string; node: YNode }[] = [];
  for (const p of m.pairs) if (p.key.kind === 'scalar') out.push({ key: p.key.value, node: p.key });
  return out;
}
