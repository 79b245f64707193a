// operators.yaml: operator semantics on values. The condition must parse and type-check with its
// field of the stated type, transformers must accept exactly the stated input types, and the
// check, evaluated by the reference interpreter on the case's values, must give `expect`.
import { parseCondition } from '../parse/parse.ts';
import { typecheck } from '../check/typecheck.ts';
import type { TypedOperand } from '../check/typed.ts';
import { catalogFor, SYSCALL_SOURCE } from '../../runtime/fields/catalog.ts';
import type { FieldInfo, FieldType } from '../../runtime/fields/field-info.ts';
import { toByteString } from '../load/source-file.ts';
import { expect, json, runCase, type CaseResult } from './outcome.ts';
import type { TypedCheck } from '../check/typed.ts';
import { splitModifier } from '../parse/ast.ts';
import { parseConstant, parseHexConstant } from '../check/values.ts';
import type { Extracted } from '../../runtime/operators/values.ts';
import { compileCheck, type CheckSpec } from '../../runtime/operators/compare.ts';
import { applyUnaryTransformer } from '../../runtime/operators/transformers.ts';
import { Interpreter } from '../../runtime/interpreter/evaluate.ts';
import { caseValue } from './field-values.ts';

interface OperatorCase {
  id: string;
  condition?: string;
  op?: string;
  field?: string;
  field_type?: string;
  field_is_list?: boolean;
  lhs?: unknown;
  lhs_hex?: string;
  rhs?: unknown;
  rhs_hex?: string;
  rhs_field_values?: unknown;
  transformers?: string[];
  rhs_transformers?: string[];
  expect?: boolean;
  transformer?: string;
  input_type?: string;
  input_is_list?: boolean;
  input?: unknown;
  output_type?: string;
  output?: unknown;
  supported_input_types?: string[];
  supported_list_input_types?: string[] | 'any';
}

const hexBytes = (h: string) => Buffer.from(h, 'hex').toString('latin1');

/** The case's left value (lhs or lhs_hex) for a field of `type`. */
function lhsOf(c: OperatorCase, type: FieldType): Extracted {
  return c.lhs_hex !== undefined ? hexBytes(c.lhs_hex) : caseValue(c.lhs, type);
}

function applyAll(names: readonly string[] | undefined, x: Extracted, type: FieldType): Extracted {
  let v = x;
  for (const n of names ?? []) v = applyUnaryTransformer(n, v, type === 'BYTEBUF');
  return v;
}

/** Cases without a condition: the check is built from op, type and values directly. */
function evaluateBare(c: OperatorCase): boolean {
  const type = (c.field_type ?? 'charbuf').toUpperCase() as FieldType;
  const { base, modifier } = splitModifier(c.op!);
  const left = applyAll(c.transformers, lhsOf(c, type), type);
  const outType: FieldType = c.transformers?.includes('len') ? 'UINT64' : type;
  const spec: CheckSpec = { op: base, type: outType, isList: c.field_is_list === true && !c.transformers?.includes('len') };
  if (modifier) spec.modifier = modifier as CheckSpec['modifier'];
  if (c.rhs_field_values !== undefined) {
    const right = applyAll(c.rhs_transformers, caseValue(c.rhs_field_values, type), type);
    return compileCheck(spec)(left, right);
  }
  const texts = c.rhs_hex !== undefined ? [hexBytes(c.rhs_hex)] : Array.isArray(c.rhs) ? c.rhs.map(String) : [String(c.rhs)];
  spec.values = texts.map((t) => (base === 'bcontains' || base === 'bstartswith' ? parseHexConstant(t) : parseConstant(toByteString(t), outType)));
  return compileCheck(spec)(left);
}

/** libsinsp types the transformer rules are probed with. */
const PROBE_TYPES: FieldType[] = [
  'CHARBUF', 'FSPATH', 'FSRELPATH', 'BYTEBUF', 'INT16', 'INT64', 'UINT32', 'UINT64', 'BOOL', 'IPADDR', 'IPNET',
  'RELTIME', 'ABSTIME', 'DOUBLE', 'PORT',
];

function innermostField(o: TypedOperand): TypedOperand {
  if (o.kind === 'field') return o;
  const a = o.args.find((x) => x.kind === 'field' || x.kind === 'transformer');
  return a ? innermostField(a as TypedOperand) : o;
}

function probe(transformer: string, type: FieldType, isList: boolean): boolean {
  const field: FieldInfo = { name: 'probe.value', type, isList, arg: 'none', flags: [], group: 'probe', provider: 'conformance', desc: '' };
  const catalog = catalogFor(SYSCALL_SOURCE, [field])!;
  try {
    typecheck(parseCondition(`${transformer}(probe.value) exists`), { catalog });
    return true;
  } catch {
    return false;
  }
}

export function runOperatorCase(c: OperatorCase): CaseResult {
  return runCase(c.id, () => {
    if (c.supported_input_types) {
      const single = new Set(c.supported_input_types.map((t) => t.toUpperCase()));
      const list = c.supported_list_input_types;
      for (const t of PROBE_TYPES) {
        expect(probe(c.transformer!, t, false) === single.has(t), `${c.transformer}(${t}) ${single.has(t) ? 'rejected' : 'accepted'}`);
        const listOk = list === 'any' || (list ?? []).map((x) => x.toUpperCase()).includes(t);
        expect(probe(c.transformer!, t, true) === listOk, `${c.transformer}(list of ${t}) ${listOk ? 'rejected' : 'accepted'}`);
      }
      return;
    }
    if (c.input_type !== undefined) {
      const type = c.input_type.toUpperCase() as FieldType;
      const got = applyUnaryTransformer(c.transformer!, caseValue(c.input, type), type === 'BYTEBUF');
      const want = caseValue(c.output, c.output_type!.toUpperCase() as FieldType);
      expect(json(got, true) === json(want, true), `${c.transformer}(${json(c.input)}) = ${json(got, true)}`);
      return;
    }
    let got: boolean;
    if (c.condition) {
      const catalog = catalogFor(SYSCALL_SOURCE)!;
      const typed = typecheck(parseCondition(toByteString(c.condition)), { catalog }).typed;
      expect(typed.kind === 'check', `not a single check: ${json(typed.kind)}`);
      const check = typed as TypedCheck;
      const f = innermostField(check.left);
      if (c.field_type) expect(f.type.toLowerCase() === c.field_type, `field type ${f.type}, expected ${c.field_type}`);
      const rhsField = check.rhs ? innermostField(check.rhs) : undefined;
      got = new Interpreter(check).evaluate({
        extract: (field) => {
          if (field.node === f.node) return lhsOf(c, field.type);
          if (rhsField && field.node === rhsField.node) return caseValue(c.rhs_field_values, field.type);
          return undefined;
        },
      });
    } else got = evaluateBare(c);
    expect(got === c.expect, `evaluated to ${got}, expected ${c.expect}`);
  });
}
