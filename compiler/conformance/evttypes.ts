// evttypes.yaml: the event types a condition can match (after lists and macros are resolved).
import { parseCondition, RULE_CONDITION_MAX_DEPTH } from '../parse/parse.ts';
import type { Expr } from '../parse/ast.ts';
import { substituteLists } from '../resolve/lists.ts';
import { MacroExpander, MacroError } from '../resolve/macros.ts';
import { conditionEventCodes, codesOfNames, allEventCodes, EventTypeError } from '../check/event-types.ts';
import { toByteString } from '../load/source-file.ts';
import { expect, json, runCase, type CaseResult } from './outcome.ts';

type Expected = string[] | 'all' | { all_except: string[] };

interface EvttypeCase {
  id: string;
  condition: string;
  expect_evttypes?: Expected;
  expect_same_as?: string;
  expect?: 'error';
  error?: string;
  macros?: Record<string, string>;
  lists?: Record<string, string[]>;
}

function expectedCodes(e: Expected): Set<number> {
  if (e === 'all') return new Set(allEventCodes());
  if (Array.isArray(e)) return codesOfNames(e);
  const except = codesOfNames(e.all_except);
  return new Set([...allEventCodes()].filter((c) => !except.has(c)));
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function describe(s: ReadonlySet<number>): string {
  return s.size === allEventCodes().size ? 'all' : `${s.size} codes [${[...s].slice(0, 12).join(',')}${s.size > 12 ? ',…' : ''}]`;
}

export function runEvttypeCase(c: EvttypeCase): CaseResult {
  return runCase(c.id, () => {
    const lists = Object.entries(c.lists ?? {}).map(([name, items]) => ({ name, items }));
    const parse = (text: string): Expr => parseCondition(toByteString(substituteLists(text, lists).text), RULE_CONDITION_MAX_DEPTH);
    const macros = new Map<string, { ast: Expr; index: number }>();
    Object.entries(c.macros ?? {}).forEach(([name, cond], index) => macros.set(name, { ast: parse(cond), index }));
    const expander = new MacroExpander({ get: (n) => macros.get(n) });
    const expand = (e: Expr): Expr => {
      try {
        return expander.expand(e).tree;
      } catch (err) {
        // An identifier that names no macro stays in the tree (it restricts nothing).
        if (err instanceof MacroError) return e;
        throw err;
      }
    };
    const codesOf = (text: string) => conditionEventCodes(expand(parse(text)));
    if (c.expect === 'error') {
      let message: string | undefined;
      try {
        codesOf(c.condition);
      } catch (e) {
        if (!(e instanceof EventTypeError)) throw e;
        message = e.message;
      }
      expect(message !== undefined, 'event-type resolution accepted the condition');
      if (c.error) expect(message === c.error, `error "${message}", expected "${c.error}"`);
      return;
    }
    const got = codesOf(c.condition);
    if (c.expect_evttypes !== undefined) {
      const want = expectedCodes(c.expect_evttypes);
      expect(sameSet(got, want), `got ${describe(got)}, expected ${json(c.expect_evttypes)} (${describe(want)})`);
    }
    if (c.expect_same_as !== undefined) {
      const other = codesOf(c.expect_same_as);
      expect(sameSet(got, other), `got ${describe(got)}, "${c.expect_same_as}" gives ${describe(other)}`);
    }
  });
}
