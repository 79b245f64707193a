// Operands the evaluator may read already cut at their first NUL. Every check on a string
// (CHARBUF/FSPATH/FSRELPATH) compares C strings except regex and pmatch (libsinsp keeps inner
// NULs for those) and the byte operators; when all of an operand's checks in the bundle are of
// the C-string kind, the runtime cuts the value once per event and the inlined checks are plain
// === / Set lookups / startsWith with no NUL handling per check.
import type { TypedCheck } from '../check/typed.ts';
import type { Plan, PlanExpr } from '../plan/plan.ts';
import { operandKey } from '../plan/keys.ts';
import { checkSpecOf } from '../../runtime/interpreter/check-spec.ts';

const STRINGS = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH']);
const C_STRING_OPS = new Set([
  '=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'in', 'intersects', 'exists',
]);

function cutSafe(c: TypedCheck): boolean {
  const spec = checkSpecOf(c);
  return !c.rhs && STRINGS.has(spec.type) && !spec.isList && !spec.bothEndpoints && !spec.anyValue && C_STRING_OPS.has(c.op);
}

export function cutOperands(plan: Plan): Set<string> {
  const safe = new Set<string>();
  const unsafe = new Set<string>();
  const visit = (e: PlanExpr): void => {
    switch (e.kind) {
      case 'check': {
        (cutSafe(e.check) ? safe : unsafe).add(operandKey(e.check.left));
        if (e.check.rhs) unsafe.add(operandKey(e.check.rhs));
        return;
      }
      case 'not':
        return visit(e.child);
      case 'and':
      case 'or':
        for (const c of e.children) visit(c);
    }
  };
  for (const g of plan.groups) for (const c of g.cases) visit(c.expr);
  return new Set([...safe].filter((k) => !unsafe.has(k)));
}
