// operators.yaml: operator semantics on values. The compile side (the condition parses, type
// checks, and its field has the stated type; transformers accept exactly the stated input types)
// is checked here; the evaluation side needs the reference interpreter.
import { parseCondition } from '../parse/parse.ts';
import { typecheck } from '../check/typecheck.ts';
import type { TypedOperand } from '../check/typed.ts';
import { catalogFor, SYSCALL_SOURCE } from '../../runtime/fields/catalog.ts';
import type { FieldInfo, FieldType } from '../../runtime/fields/field-info.ts';
import { toByteString } from '../load/source-file.ts';
import { expect, json, NEEDS_INTERPRETER, runCase, type CaseResult } from './outcome.ts';

interface OperatorCase {
  id: string;
  condition?: string;
  field?: string;
  field_type?: string;
  transformer?: string;
  supported_input_types?: string[];
  supported_list_input_types?: string[] | 'any';
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
    if (c.condition) {
      const catalog = catalogFor(SYSCALL_SOURCE)!;
      const typed = typecheck(parseCondition(toByteString(c.condition)), { catalog }).typed;
      expect(typed.kind === 'check', `not a single check: ${json(typed.kind)}`);
      if (typed.kind === 'check' && c.field_type) {
        const f = innermostField(typed.left);
        expect(f.type.toLowerCase() === c.field_type, `field type ${f.type}, expected ${c.field_type}`);
      }
    }
    return NEEDS_INTERPRETER;
  });
}
