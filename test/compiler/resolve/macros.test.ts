import { describe, expect, test } from 'vitest';
import { MacroExpander, MacroError } from '../../../compiler/resolve/macros.ts';
import { parseCondition } from '../../../compiler/parse/parse.ts';
import { printCondition } from '../../../compiler/parse/print.ts';
import type { Expr } from '../../../compiler/parse/ast.ts';

function table(defs: Record<string, string>) {
  const m = new Map<string, { ast: Expr; index: number }>();
  Object.entries(defs).forEach(([name, cond], index) => m.set(name, { ast: parseCondition(cond), index }));
  return { get: (n: string) => m.get(n) };
}

describe('macro expansion', () => {
  test('nested macros expand; unchanged subtrees are shared', () => {
    const x = new MacroExpander(table({ a: 'evt.type = open', b: 'a and proc.name = cat' }));
    const root = parseCondition('b or fd.name = x');
    const r = x.expand(root);
    expect(printCondition(r.tree)).toBe('((evt.type = open and proc.name = cat) or fd.name = x)');
    expect(r.tree.kind === 'or' && r.tree.children[1]).toBe(root.kind === 'or' && root.children[1]);
    expect([...x.used].sort()).toEqual(['a', 'b']);
  });

  test('visibility: a macro only sees macros defined before its bound', () => {
    const x = new MacroExpander(table({ a: 'b', b: 'evt.type = open' }));
    expect(() => x.expand(parseCondition('a'), 1)).toThrow("Undefined macro 'b' used in filter.");
    expect(printCondition(x.expand(parseCondition('a')).tree)).toBe('evt.type = open');
  });

  test('loops are errors, not stack overflows', () => {
    const x = new MacroExpander(table({ a: 'b', b: 'c', c: 'a' }));
    const e = (() => {
      try {
        x.expand(parseCondition('a'));
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(MacroError);
    expect((e as Error).message).toBe("reference loop in macro 'a'");
  });

  test('exponential expansion is refused with a clean error', () => {
    const defs: Record<string, string> = { m0: 'evt.type = open' };
    for (let i = 1; i <= 30; i++) defs[`m${i}`] = `m${i - 1} and m${i - 1}`;
    expect(() => new MacroExpander(table(defs)).expand(parseCondition('m30'))).toThrow(/expands to more than 500000 nodes/);
  });
});
