// The reference interpreter: evaluates a typed condition by walking it, asking a FieldSource for
// each field's values. Simple on purpose: it is the oracle compiled evaluators are tested
// against, so every operator goes through the one implementation in runtime/operators.
import type { TypedCheck, TypedExpr, TypedField, TypedOperand, TypedTransformerArg } from '../../compiler/check/typed.ts';
import type { Extracted, Value } from '../operators/values.ts';
import { valueText } from '../operators/values.ts';
import { compileCheck, type CheckPredicate } from '../operators/compare.ts';
import { applyUnaryTransformer, getoptValue } from '../operators/transformers.ts';
import { checkSpecOf } from './check-spec.ts';

export interface FieldSource {
  /** The field's values for the current event; undefined when it cannot be extracted. */
  extract(field: TypedField): Extracted;
  /** The value as an output shows it, when that differs from what conditions compare (proc.aname …). */
  extractForOutput?(field: TypedField): Extracted;
}

const flat = (x: Extracted): Value[] => (x === undefined ? [] : Array.isArray(x) ? [...x] : [x as Value]);

export class Interpreter {
  private readonly predicates = new Map<TypedCheck, CheckPredicate>();

  constructor(private readonly expr: TypedExpr) {}

  /**
   * Evaluates the condition. `override` lets a caller decide some checks itself (the
   * conformance corpus's mock fields), returning undefined to leave the others alone.
   */
  evaluate(src: FieldSource, override?: (c: TypedCheck) => boolean | undefined): boolean {
    const walk = (e: TypedExpr): boolean => {
      switch (e.kind) {
        case 'and':
          return e.children.every(walk);
        case 'or':
          return e.children.some(walk);
        case 'not':
          return !walk(e.child);
        case 'check': {
          const forced = override?.(e);
          return forced ?? this.check(e, src);
        }
      }
    };
    return walk(this.expr);
  }

  private check(c: TypedCheck, src: FieldSource): boolean {
    let p = this.predicates.get(c);
    if (!p) {
      p = compileCheck(checkSpecOf(c));
      this.predicates.set(c, p);
    }
    const left = operand(c.left, src);
    return c.rhs ? p(left, operand(c.rhs, src)) : p(left);
  }
}

function argValue(a: TypedTransformerArg, src: FieldSource): Extracted {
  switch (a.kind) {
    case 'constant':
      return a.value;
    case 'arglist': {
      const out: Value[] = [];
      for (const item of a.items) {
        const v = argValue(item, src);
        if (v === undefined) return undefined;
        for (const x of flat(v)) out.push(valueText(x));
      }
      return out;
    }
    default:
      return operand(a, src);
  }
}

/** A field's or transformer's values for the current event. */
export function operand(o: TypedOperand, src: FieldSource): Extracted {
  if (o.kind === 'field') return src.extract(o);
  if (o.name === 'val') return operand(o.args[0] as TypedOperand, src);
  const args = o.args.map((a) => argValue(a, src));
  if (args.some((a) => a === undefined)) return undefined;
  switch (o.name) {
    case 'join': {
      const sep = valueText(flat(args[0])[0]!);
      return flat(args[1]).map(valueText).join(sep);
    }
    case 'concat':
      return args.map((a) => valueText(flat(a)[0]!)).join('');
    case 'getopt':
      return getoptValue(flat(args[0]).map(valueText), valueText(flat(args[1])[0]!), o.arg);
    default: {
      const input = o.args[0]!;
      const buffer = input.kind !== 'constant' && input.kind !== 'arglist' && input.type === 'BYTEBUF';
      return applyUnaryTransformer(o.name, args[0], buffer);
    }
  }
}
