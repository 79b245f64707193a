// The literal head generated code tests before calling a glob matcher must be a necessary
// condition: whatever the glob matches starts with it (exhaustive over short strings).
import { describe, expect, test } from 'vitest';
import { globPrefix } from '../../../compiler/emit/check-code.ts';
import { compileCheck } from '../../../runtime/operators/compare.ts';
import type { TypedCheck } from '../../../compiler/check/typed.ts';

const check = (pattern: string, op = 'glob') =>
  ({ kind: 'check', op, left: { kind: 'field' }, values: [{ kind: 'bytes', value: pattern }] }) as unknown as TypedCheck;
const spec = (pattern: string, op = 'glob') => ({ op, type: 'CHARBUF' as const, isList: false, values: [{ kind: 'bytes' as const, value: pattern }] });

function strings(alphabet: string[], maxLen: number): string[] {
  const out = [''];
  let layer = [''];
  for (let n = 1; n <= maxLen; n++) {
    layer = layer.flatMap((s) => alphabet.map((c) => s + c));
    out.push(...layer);
  }
  return out;
}

describe('glob literal heads', () => {
  test('stop at the first wildcard, bracket or escape; none for iglob', () => {
    expect(globPrefix(check('/home/*/.ssh/*'), spec('/home/*/.ssh/*'))).toBe('/home/');
    expect(globPrefix(check('/etc/passwd'), spec('/etc/passwd'))).toBe('/etc/passwd');
    expect(globPrefix(check('*.sh'), spec('*.sh'))).toBe('');
    expect(globPrefix(check('/a?b'), spec('/a?b'))).toBe('/a');
    expect(globPrefix(check('/a[bc]'), spec('/a[bc]'))).toBe('/a');
    expect(globPrefix(check('/a\\*'), spec('/a\\*'))).toBe('/a');
    expect(globPrefix(check('/a\0b*'), spec('/a\0b*'))).toBe('/a');
    expect(globPrefix(check('/A*', 'iglob'), spec('/A*', 'iglob'))).toBe('');
  });

  test('every value a glob matches starts with its head', () => {
    const patterns = strings(['a', '/', '*', '?', '[a]', '\\'], 3);
    const subjects = strings(['a', 'b', '/', '\0'], 4);
    let matched = 0;
    for (const p of patterns) {
      const head = globPrefix(check(p), spec(p));
      const glob = compileCheck(spec(p));
      for (const s of subjects) {
        if (!glob(s)) continue;
        matched++;
        expect([p, s, s.startsWith(head)]).toEqual([p, s, true]);
      }
    }
    expect(matched).toBeGreaterThan(500);
  });
});
