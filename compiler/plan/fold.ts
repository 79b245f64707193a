// Specialising a condition for one event code: checks on fields whose value the code alone
// fixes (evt.type, syscall.type, evt.dir; and evt.num = 0, never true) become constants, computed with the same operator
// implementation the evaluators use, and the and/or/not around them simplify. A rule whose
// condition folds to false for a code drops out of that code's evaluator.
import type { TypedCheck, TypedExpr } from '../check/typed.ts';
import { EVENTS } from '../../runtime/events/event-table.ts';
import { ASYNCEVENT_CODE, GENERIC_EXIT } from '../../runtime/events/event-index.ts';
import { compileCheck } from '../../runtime/operators/compare.ts';
import { checkSpecOf } from '../../runtime/interpreter/check-spec.ts';
import type { PlanExpr } from './plan.ts';
import { checkKey } from './keys.ts';

const TRUE: PlanExpr = { kind: 'const', value: true, key: 'true', cost: 0 };
const FALSE: PlanExpr = { kind: 'const', value: false, key: 'false', cost: 0 };

/** The value a code fixes for a field, or null when the event decides (or the field is not fixed). */
function fixedValue(field: string, code: number): string | undefined | null {
  const e = EVENTS[code];
  if (!e) return null;
  switch (field) {
    case 'evt.dir':
      return e.dir === 'enter' ? '>' : '<';
    case 'evt.type':
      // The generic exit names the syscall in a parameter; asyncevent carries its own name.
      return code === GENERIC_EXIT || code === ASYNCEVENT_CODE ? null : e.name;
    case 'syscall.type':
      if (code === GENERIC_EXIT || code === ASYNCEVENT_CODE) return null;
      return e.kind === 'syscall' ? e.name : undefined;
    default:
      return null;
  }
}

/**
 * evt.num counts delivered events from 1 (runtime/state/event-parser.ts), so it is never 0:
 * upstream's never_true macro is `evt.num=0`, and `not never_true` guards dozens of rules.
 */
function foldEventNumber(c: TypedCheck): boolean | null {
  const v = c.values?.length === 1 ? c.values[0]! : undefined;
  if (v?.kind !== 'int' || v.value !== 0n) return null;
  if (c.op === '=' || c.op === '==') return false;
  if (c.op === '!=') return true;
  return null;
}

function foldCheck(c: TypedCheck, code: number): boolean | null {
  if (c.left.kind !== 'field' || c.rhs || c.left.arg !== undefined) return null;
  if (c.left.field.name === 'evt.num') return foldEventNumber(c);
  const v = fixedValue(c.left.field.name, code);
  if (v === null) return null;
  return compileCheck(checkSpecOf(c))(v);
}

const sortedKey = (op: string, xs: PlanExpr[]) => `(${xs.map((x) => x.key).sort().join(` ${op} `)})`;

/** `expr` as evaluated for events of `code`: folded and simplified (build-plan flattens and orders it later). */
export function specialise(expr: TypedExpr, code: number): PlanExpr {
  switch (expr.kind) {
    case 'check': {
      const folded = foldCheck(expr, code);
      if (folded !== null) return folded ? TRUE : FALSE;
      return { kind: 'check', check: expr, key: checkKey(expr), cost: 0 };
    }
    case 'not': {
      const child = specialise(expr.child, code);
      if (child.kind === 'const') return child.value ? FALSE : TRUE;
      if (child.kind === 'not') return child.child;
      return { kind: 'not', child, key: `!${child.key}`, cost: child.cost };
    }
    case 'and':
    case 'or': {
      const isAnd = expr.kind === 'and';
      const children: PlanExpr[] = [];
      for (const c of expr.children) {
        const s = specialise(c, code);
        if (s.kind === 'const') {
          if (s.value === isAnd) continue; // neutral element
          return s; // absorbing element
        }
        // Nested and/or stay nested here: a macro's body is one unit several rules can share.
        // build-plan flattens the ones no other rule shares.
        children.push(s);
      }
      if (children.length === 0) return isAnd ? TRUE : FALSE;
      if (children.length === 1) return children[0]!;
      return { kind: expr.kind, children, key: sortedKey(expr.kind, children), cost: 0 };
    }
  }
}
