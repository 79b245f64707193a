// The inlined helpers of generated evaluators against the reference operator implementation,
// on every short string over an alphabet with NULs (exhaustive up to length 4).
import { describe, expect, test } from 'vitest';
import { transformSync } from 'esbuild';
import { PRELUDE } from '../../../compiler/emit/prelude.ts';
import { compileCheck } from '../../../runtime/operators/compare.ts';
import { cString } from '../../../runtime/operators/strings.ts';

type Helper = (v: unknown, l: unknown) => boolean;
const js = transformSync(`${PRELUDE}\nreturn { eqS, neS, inS, swS, ewS, ctS, neC, ewC, ctC, neI, neB, hasL, lenSet, PrefixIndex };`, { loader: 'ts' }).code;
const helpers = new Function(js)() as Record<string, Helper> & {
  hasL: (v: unknown, s: Set<unknown>, l: Uint8Array) => boolean;
  lenSet: (ls: number[]) => Uint8Array;
  PrefixIndex: new (lits: string[]) => { a: Uint8Array; walk(v: unknown): number };
};

const ALPHABET = ['a', 'b', '\0', '/'];
function strings(maxLen: number): string[] {
  const out = [''];
  let layer = [''];
  for (let n = 1; n <= maxLen; n++) {
    layer = layer.flatMap((s) => ALPHABET.map((c) => s + c));
    out.push(...layer);
  }
  return out;
}
const values = strings(4);
const constants = strings(2).filter((s) => !s.includes('\0'));

describe('prelude string helpers = compare.ts on C strings', () => {
  const ops: [string, string][] = [['=', 'eqS'], ['!=', 'neS'], ['startswith', 'swS'], ['endswith', 'ewS'], ['contains', 'ctS']];
  for (const [op, name] of ops) {
    test(`${op} (${name})`, () => {
      let checked = 0;
      for (const c of constants) {
        const ref = compileCheck({ op, type: 'CHARBUF', isList: false, values: [{ kind: 'bytes', value: c }] });
        for (const v of [...values, undefined]) {
          expect([v, c, helpers[name]!(v, cString(c))]).toEqual([v, c, ref(v)]);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(1000);
    });
  }
  test('in (inS)', () => {
    for (let i = 0; i + 2 <= constants.length; i += 2) {
      const set = constants.slice(i, i + 3);
      const ref = compileCheck({ op: 'in', type: 'CHARBUF', isList: false, values: set.map((value) => ({ kind: 'bytes' as const, value })) });
      const s = new Set(set.map(cString));
      for (const v of [...values, undefined]) expect([v, set, helpers.inS!(v, s)]).toEqual([v, set, ref(v)]);
    }
  });
  // Operands the runtime hands over already cut at their first NUL (cut-operands.ts): the
  // helpers see cString(value), and must still agree with the reference on the raw value.
  const cutForms: [string, (c: unknown, l: string) => boolean][] = [
    ['=', (c, l) => c === l],
    ['!=', (c, l) => helpers.neC!(c, l)],
    ['startswith', (c, l) => helpers.swS!(c, l)],
    ['endswith', (c, l) => helpers.ewC!(c, l)],
    ['contains', (c, l) => helpers.ctC!(c, l)],
  ];
  for (const [op, form] of cutForms) {
    test(`${op} on a cut value`, () => {
      for (const c of constants) {
        const ref = compileCheck({ op, type: 'CHARBUF', isList: false, values: [{ kind: 'bytes', value: c }] });
        for (const v of [...values, undefined]) {
          const cut = typeof v === 'string' ? cString(v) : v;
          expect([v, c, form(cut, cString(c))]).toEqual([v, c, ref(v)]);
        }
      }
    });
  }
  test('integers and booleans', () => {
    for (const v of [undefined, 0n, 1n, -1n]) {
      expect(helpers.neI!(v, 1n)).toBe(compileCheck({ op: '!=', type: 'INT64', isList: false, values: [{ kind: 'int', value: 1n }] })(v));
    }
    for (const v of [undefined, true, false]) {
      expect(helpers.neB!(v, true)).toBe(compileCheck({ op: '!=', type: 'BOOL', isList: false, values: [{ kind: 'bool', value: true }] })(v));
    }
  });

  // On cut values (C strings), as generated code uses them.
  test('a prefix index answers every literal as startsWith would', () => {
    const cut = [...new Set(values.map(cString))];
    const lists = [
      ['a', 'ab', 'aba', 'b/', '/'],
      ['', 'a', '/a/b', '/a'],
      ['\xff', '\xffa', 'a\xe9', 'b'],
      constants,
    ];
    let checked = 0;
    for (const lits of lists) {
      const t = new helpers.PrefixIndex(lits);
      for (const v of [...cut, 'ab\xe9', '\xffab', '\u0100a', undefined, 7n]) {
        const row = t.walk(v);
        lits.forEach((l, k) => {
          expect([v, l, t.a[row + k] === 1]).toEqual([v, l, typeof v === 'string' && v.startsWith(l)]);
          checked++;
        });
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
  test('a length table only turns away values of lengths the set does not hold', () => {
    const set = ['a/', 'bab', 'a/ab/'];
    const s = new Set<unknown>(set);
    const l = helpers.lenSet([2, 3, 5]);
    for (const v of [...values.map(cString), undefined, 'a/ab/xxxxxxxxxxxxxx']) expect([v, helpers.hasL(v, s, l)]).toEqual([v, s.has(v)]);
  });
});
