// Specialising a condition for one event code: checks on fields whose value the code alone
// fixes (evt.type, syscall.type, evt.dir; and evt.num = 0, never true) become constants, computed with the same operator
// implementation the evaluators use, and the and/or/not around them simplify. A rule whose
// condition folds to false for a code drops out of that code's evaluator. Plugin sources have
// no event codes: there only evt.source (the source's own name) and evt.num = 0 fold.
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

/** A field's value fixed for every event the condition is specialised for (null: the event decides). */
type FixedValue = (field: string) => string | undefined | null;

function foldCheck(c: TypedCheck, fixed: FixedValue): boolean | null {
  if (c.left.kind !== 'field' || c.rhs || c.left.arg !== undefined) return null;
  if (c.left.field.name === 'evt.num') return foldEventNumber(c);
  const v = fixed(c.left.field.name);
  if (v === null) return null;
  return compileCheck(checkSpecOf(c))(v);
}

const sortedKey = (op: string, xs: PlanExpr[]) => `(${xs.map((x) => x.key).sort().join(` ${op} `)})`;

/** `expr` as evaluated for events of `code`: folded and simplified (build-plan flattens and orders it later). */
export function specialise(expr: TypedExpr, code: number): PlanExpr {
  return specialiseWith(expr, (field) => fixedValue(field, code));
}

/**
 * `expr` as evaluated for the events of a plugin source: evt.source is the source's name (the
 * only evt.* value such a source fixes; evt.num counts from 1 there too, see plugin-event.ts).
 */
export function specialiseForSource(expr: TypedExpr, source: string): PlanExpr {
  return specialiseWith(expr, (field) => (field === 'evt.source' ? source : null));
}

function specialiseWith(expr: TypedExpr, fixed: FixedValue): PlanExpr {
  switch (expr.kind) {
    case 'check': {
      const folded = foldCheck(expr, fixed);
      if (folded !== null) return folded ? TRUE : FALSE;
      return { kind: 'check', check: expr, key: checkKey(expr), cost: 0 };
    }
    case 'not': {
      const child = specialiseWith(expr.child, fixed);
      if (child.kind === 'const') return child.value ? FALSE : TRUE;
      if (child.kind === 'not') return child.child;
      return { kind: 'not', child, key: `!${child.key}`, cost: child.cost };
    }
    case 'and':
    case 'or': {
      const isAnd = expr.kind === 'and';
      const children: PlanExpr[] = [];
      for (const c of expr.children) {
        const s = specialiseWith(c, fixed);
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
