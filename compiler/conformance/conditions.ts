// conditions.yaml: parse, compile and evaluation cases for single conditions.
import { isDeepStrictEqual } from 'node:util';
import { parseCondition, positionAt, PARSER_DEFAULT_MAX_DEPTH } from '../parse/parse.ts';
import { printCondition } from '../parse/print.ts';
import type { Expr } from '../parse/ast.ts';
import { typecheck } from '../check/typecheck.ts';
import { loaderWarnings } from '../check/loader-warnings.ts';
import { catalogFor, SYSCALL_SOURCE } from '../../runtime/fields/catalog.ts';
import type { FieldInfo } from '../../runtime/fields/field-info.ts';
import { toByteString } from '../load/source-file.ts';
import { astShape, nodePositions } from './ast-shape.ts';
import { expect, json, runCase, type CaseResult } from './outcome.ts';
import type { TypedCheck, TypedExpr } from '../check/typed.ts';
import { Interpreter } from '../../runtime/interpreter/evaluate.ts';
import { mapFieldSource } from './field-values.ts';

/** The mock fields of libsinsp's compiler tests (conformance README). */
const MOCK_FIELDS: FieldInfo[] = ['c.true', 'c.false', 'c.singlequote', 'c.doublequote', 'c.buffer'].map((name) => ({
  name,
  type: name === 'c.buffer' ? 'BYTEBUF' : 'CHARBUF',
  isList: false,
  arg: 'none',
  flags: [],
  group: 'mock',
  provider: 'conformance',
  desc: 'mock field of the conformance corpus',
}));

interface ConditionCase {
  id: string;
  condition?: string;
  condition_repeat?: { text: string; times: number };
  stage: 'parse' | 'compile' | 'eval';
  expect: 'ok' | 'error';
  error?: string;
  whitespace_variants?: boolean;
  warnings?: number;
  field_type?: string;
  ast?: unknown;
  canonical?: string;
  canonical_roundtrip?: boolean;
  end_pos?: { idx: number; line: number; col: number };
  positions?: unknown[];
  positions_include?: unknown[][];
  mock?: boolean;
  loader_warning?: boolean;
  loader_warning_code?: string;
  fields?: Record<string, unknown>;
  result?: boolean;
}

interface Attempt {
  ast?: Expr;
  typed?: TypedExpr;
  error?: string;
  warnings?: number;
  leftType?: string;
}

function attempt(text: string, stage: ConditionCase['stage'], mock: boolean): Attempt {
  let ast: Expr;
  try {
    ast = parseCondition(text, PARSER_DEFAULT_MAX_DEPTH);
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (stage === 'parse') return { ast };
  const catalog = catalogFor(SYSCALL_SOURCE, mock ? MOCK_FIELDS : [])!;
  try {
    const r = typecheck(ast, { catalog });
    const leftType = r.typed.kind === 'check' ? r.typed.left.type : undefined;
    return { ast, typed: r.typed, warnings: r.warnings.length, ...(leftType ? { leftType } : {}) };
  } catch (e) {
    return { ast, error: (e as Error).message };
  }
}

function variants(c: ConditionCase, text: string): string[] {
  if (!c.whitespace_variants) return [text];
  return [text, ` ${text} `, text.replaceAll(' ', '\n'), text.replaceAll(' ', '\t')];
}

export function runConditionCase(c: ConditionCase): CaseResult {
  return runCase(c.id, () => {
    const text = toByteString(c.condition_repeat ? c.condition_repeat.text.repeat(c.condition_repeat.times) : c.condition!);
    const stage = c.stage === 'eval' ? 'compile' : c.stage;
    for (const v of variants(c, text)) {
      const r = attempt(v, stage, c.mock === true);
      const label = json(v.length > 80 ? v.slice(0, 80) + '…' : v);
      expect((r.error === undefined) === (c.expect === 'ok'), `${label}: expected ${c.expect}, got ${r.error === undefined ? 'ok' : `error "${r.error}"`}`);
      if (c.error !== undefined) expect(r.error === c.error, `${label}: expected error "${c.error}", got "${r.error}"`);
    }
    const r = attempt(text, stage, c.mock === true);
    if (r.ast) {
      if (c.ast !== undefined) expect(isDeepStrictEqual(astShape(r.ast), c.ast), `AST ${json(astShape(r.ast))} != ${json(c.ast)}`);
      if (c.canonical !== undefined) expect(printCondition(r.ast) === c.canonical, `printed "${printCondition(r.ast)}" != "${c.canonical}"`);
      if (c.canonical_roundtrip) {
        const once = printCondition(r.ast);
        expect(printCondition(parseCondition(once)) === once, `printing does not round-trip: ${once}`);
      }
      if (c.end_pos) expect(isDeepStrictEqual(positionAt(text, text.length), c.end_pos), `end position ${json(positionAt(text, text.length))}`);
      const pos = nodePositions(r.ast, text);
      if (c.positions) expect(isDeepStrictEqual(pos, c.positions), `positions ${json(pos)}`);
      for (const want of c.positions_include ?? []) {
        expect(pos.some((p) => want.every((w, i) => w === p[i])), `positions ${json(pos)} lack ${json(want)}`);
      }
      if (c.loader_warning !== undefined) {
        const ws = loaderWarnings(r.ast);
        expect(ws.length > 0 === c.loader_warning, `loader warnings: ${json(ws.map((w) => w.code))}`);
        if (c.loader_warning_code) expect(ws.some((w) => w.code === c.loader_warning_code), `no ${c.loader_warning_code} warning`);
      }
    }
    if (c.warnings !== undefined) expect(r.warnings === c.warnings, `${r.warnings} compile warnings, expected ${c.warnings}`);
    if (c.field_type !== undefined && r.leftType !== undefined) {
      expect(r.leftType.toLowerCase() === c.field_type, `field type ${r.leftType}, expected ${c.field_type}`);
    }
    if (c.stage === 'eval' && r.typed) {
      const fields = c.mock ? { ...MOCK_VALUES, ...c.fields } : (c.fields ?? {});
      const got = new Interpreter(r.typed).evaluate(mapFieldSource(fields), c.mock ? mockCheck : undefined);
      expect(got === c.result, `evaluated to ${got}, expected ${c.result}`);
    }
  });
}

/** The corpus's mock fields: c.true/c.false decide their checks whatever the operator. */
function mockCheck(c: TypedCheck): boolean | undefined {
  if (c.left.kind !== 'field') return undefined;
  if (c.left.field.name === 'c.true') return true;
  if (c.left.field.name === 'c.false') return false;
  return undefined;
}

const MOCK_VALUES: Record<string, string> = { 'c.singlequote': "hello 'quoted'", 'c.doublequote': 'hello "quoted"' };
