// ruleset → plan: the syscall source's evaluator groups and one group per plugin source. Pure:
// the same ruleset gives the same plan.
import type { CompiledRule, Ruleset } from '../resolve/ruleset.ts';
import type { TypedExpr, TypedOperand } from '../check/typed.ts';
import { SYSCALL_SOURCE } from '../../runtime/fields/catalog.ts';
import type { EvaluatorGroup, Plan, PlanExpr, RuleCase, SourcePlan } from './plan.ts';
import { specialise, specialiseForSource } from './fold.ts';
import { operandKey } from './keys.ts';
import { orderCases } from './order.ts';
import { operatorCost } from './cost.ts';

export interface PlanOptions {
  /** Event codes the runtime's state keeping parses (they reach user space whatever the rules). */
  stateCodes?: ReadonlySet<number>;
}

/**
 * Checks cheaper than this are not worth a memo slot: their operands are cached per event
 * already, so only the comparison (a glob, a regex, a case-folding search) would be saved.
 */
const MEMO_MIN_OPERATOR_COST = 1.5;

function countKeys(e: PlanExpr, counts: Map<string, number>): void {
  if (e.kind === 'const') return;
  if (e.kind !== 'check' || operatorCost(e.check) >= MEMO_MIN_OPERATOR_COST) counts.set(e.key, (counts.get(e.key) ?? 0) + 1);
  if (e.kind === 'and' || e.kind === 'or') for (const c of e.children) countKeys(c, counts);
  else if (e.kind === 'not') countKeys(e.child, counts);
}

/**
 * `a and (b and c)` → `a and b and c` unless `(b and c)` occurs elsewhere in the group: a shared
 * unit stays whole so it is computed once per event (memoised), an unshared one is flattened
 * so its checks can be ordered among their neighbours.
 */
function flattenUnshared(e: PlanExpr, counts: ReadonlyMap<string, number>): PlanExpr {
  if (e.kind === 'not') return { ...e, child: flattenUnshared(e.child, counts) };
  if (e.kind !== 'and' && e.kind !== 'or') return e;
  const children: PlanExpr[] = [];
  for (const c of e.children) {
    const f = flattenUnshared(c, counts);
    if (f.kind === e.kind && (counts.get(f.key) ?? 0) < 2) children.push(...f.children);
    else children.push(f);
  }
  return { ...e, children, key: `(${children.map((c) => c.key).sort().join(` ${e.kind} `)})` };
}

function collectFields(e: TypedExpr, out: Set<string>): void {
  const operand = (o: TypedOperand): void => {
    if (o.kind === 'field') out.add(operandKey(o));
    else for (const a of o.args) if (a.kind === 'field' || a.kind === 'transformer') operand(a);
  };
  switch (e.kind) {
    case 'and':
    case 'or':
      for (const c of e.children) collectFields(c, out);
      return;
    case 'not':
      collectFields(e.child, out);
      return;
    case 'check':
      operand(e.left);
      if (e.rhs) operand(e.rhs);
  }
}

/**
 * One evaluator group over `cases` (in load order): unshared and/or flattened, conditions
 * ordered by cost, sub-expressions occurring more than once marked for memoising.
 */
function groupOf(codes: number[], cases: readonly RuleCase[]): EvaluatorGroup {
  const units = new Map<string, number>();
  for (const c of cases) countKeys(c.expr, units);
  const flat = cases.map((c) => ({ rule: c.rule, expr: flattenUnshared(c.expr, units) }));
  const ordered = orderCases(flat, units);
  const counts = new Map<string, number>();
  for (const c of ordered) countKeys(c.expr, counts);
  const shared = new Set([...counts].filter(([, n]) => n > 1).map(([k]) => k));
  return { codes, cases: ordered, shared };
}

/**
 * Plugin sources: every rule of the source looks at every event, so the source's rules form
 * one group in load order. Only evt.source and evt.num = 0 fold (fold.ts); the rest of the
 * machinery (flattening, cost order, memoised shared sub-expressions) is the syscall one.
 */
function sourcePlans(rules: readonly CompiledRule[]): SourcePlan[] {
  const bySource = new Map<string, { cases: RuleCase[]; fields: Set<string> }>();
  rules.forEach((r, i) => {
    if (r.source === SYSCALL_SOURCE) return;
    let s = bySource.get(r.source);
    if (!s) bySource.set(r.source, (s = { cases: [], fields: new Set() }));
    collectFields(r.typed, s.fields);
    const expr = specialiseForSource(r.typed, r.source);
    if (expr.kind === 'const' && !expr.value) return;
    s.cases.push({ rule: i, expr });
  });
  return [...bySource].map(([source, s]) => ({ source, group: groupOf([], s.cases), fields: [...s.fields].sort() }));
}

export function buildPlan(ruleset: Ruleset, opts: PlanOptions = {}): Plan {
  const rules = ruleset.rules;
  // Per code, the syscall rule cases in load order.
  const byCode = new Map<number, RuleCase[]>();
  const ruleCodes = new Set<number>();
  const codesByRule: number[][] = rules.map(() => []);
  const fields = new Set<string>();
  rules.forEach((r, i) => {
    if (r.source !== SYSCALL_SOURCE) return;
    collectFields(r.typed, fields);
    for (const code of [...(r.eventCodes ?? [])].sort((a, b) => a - b)) {
      const expr = specialise(r.typed, code);
      if (expr.kind === 'const' && !expr.value) continue;
      if (r.enabled) ruleCodes.add(code);
      codesByRule[i]!.push(code);
      let cases = byCode.get(code);
      if (!cases) byCode.set(code, (cases = []));
      cases.push({ rule: i, expr });
    }
  });
  // Codes with identical cases share an evaluator.
  const groups = new Map<string, EvaluatorGroup>();
  for (const [code, cases] of [...byCode].sort((a, b) => a[0] - b[0])) {
    const key = cases.map((c) => `${c.rule}:${c.expr.key}`).join('\n');
    const g = groups.get(key);
    if (g) g.codes.push(code);
    else groups.set(key, groupOf([code], cases));
  }
  const kernel = new Set([...ruleCodes, ...(opts.stateCodes ?? [])]);
  return {
    source: SYSCALL_SOURCE,
    rules,
    groups: [...groups.values()],
    ruleCodes: [...ruleCodes].sort((a, b) => a - b),
    codesByRule,
    kernelCodes: [...kernel].sort((a, b) => a - b),
    fields: [...fields].sort(),
    sources: sourcePlans(rules),
  };
}
