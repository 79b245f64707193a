// Ordering one evaluator group's conditions by expected cost (see cost.ts). An operand read by
// several rule cases of the group is extracted once per event and then cached, so its cost is
// shared among its readers: a field every rule of a type reads is nearly free to test early.
import type { TypedOperand } from '../check/typed.ts';
import type { PlanExpr, RuleCase } from './plan.ts';
import { operandKey } from './keys.ts';
import { operandCost, operatorCost, passRate } from './cost.ts';

interface Scored {
  expr: PlanExpr;
  cost: number;
  pass: number;
}

function operandsOf(e: PlanExpr, out: Set<string>): void {
  if (e.kind === 'check') {
    out.add(operandKey(e.check.left));
    if (e.check.rhs) out.add(operandKey(e.check.rhs));
  } else if (e.kind === 'not') operandsOf(e.child, out);
  else if (e.kind === 'and' || e.kind === 'or') for (const c of e.children) operandsOf(c, out);
}

/** `shared`: how many times each sub-expression key occurs in the group (memoised when > 1). */
export function orderCases(cases: readonly RuleCase[], shared: ReadonlyMap<string, number> = new Map()): RuleCase[] {
  // How many cases read each operand.
  const readers = new Map<string, number>();
  for (const c of cases) {
    const ops = new Set<string>();
    operandsOf(c.expr, ops);
    for (const k of ops) readers.set(k, (readers.get(k) ?? 0) + 1);
  }
  const amortised = (o: TypedOperand) => operandCost(o) / (readers.get(operandKey(o)) ?? 1);
  // A memoised sub-expression is computed by its first reader; the others only read the memo.
  const memoShare = (e: PlanExpr) => Math.max(1, shared.get(e.key) ?? 1);

  const score = (e: PlanExpr): Scored => {
    switch (e.kind) {
      case 'const':
        return { expr: e, cost: 0, pass: e.value ? 1 : 0 };
      case 'check': {
        const cost = (amortised(e.check.left) + (e.check.rhs ? amortised(e.check.rhs) : 0) + operatorCost(e.check)) / memoShare(e);
        return { expr: { ...e, cost }, cost, pass: passRate(e.check) };
      }
      case 'not': {
        const s = score(e.child);
        return { expr: { ...e, child: s.expr, cost: s.cost }, cost: s.cost, pass: 1 - s.pass };
      }
      case 'and':
      case 'or': {
        const isAnd = e.kind === 'and';
        const kids = e.children.map(score);
        // Expected cost per short circuit; ties keep the author's order (stable sort).
        const rank = (s: Scored) => s.cost / Math.max(1e-6, isAnd ? 1 - s.pass : s.pass);
        kids.sort((a, b) => rank(a) - rank(b));
        let cost = 0;
        let reach = 1;
        for (const k of kids) {
          cost += reach * k.cost;
          reach *= isAnd ? k.pass : 1 - k.pass;
        }
        const pass = isAnd ? reach : 1 - reach;
        const share = memoShare(e);
        return { expr: { ...e, children: kids.map((k) => k.expr), cost: cost / share }, cost: cost / share, pass };
      }
    }
  };
  return cases.map((c) => ({ rule: c.rule, expr: score(c.expr).expr }));
}
