// The plan: what `compiler/plan` hands to `compiler/emit`. For the syscall source, the rules in
// load order and, per group of event codes that share one evaluator, the rule conditions
// specialised for those codes (event-type checks folded away), their conjuncts ordered by
// cost, and the sub-expressions several rules share (computed once per event).
import type { TypedCheck } from '../check/typed.ts';
import type { CompiledRule } from '../resolve/ruleset.ts';

/** A condition specialised for an event code. `key` is structural: equal keys, equal results. */
export type PlanExpr =
  | { kind: 'and' | 'or'; children: PlanExpr[]; key: string; cost: number }
  | { kind: 'not'; child: PlanExpr; key: string; cost: number }
  | { kind: 'check'; check: TypedCheck; key: string; cost: number }
  | { kind: 'const'; value: boolean; key: string; cost: number };

/** One rule as one evaluator sees it. */
export interface RuleCase {
  /** Index into Plan.rules. */
  rule: number;
  expr: PlanExpr;
}

/** Event codes whose specialised rule cases are identical share one evaluator. */
export interface EvaluatorGroup {
  codes: number[];
  /** In load order: `first` matching stops at the first case that matches. */
  cases: RuleCase[];
  /** Keys of sub-expressions that occur more than once in the group's cases: memoised per event. */
  shared: ReadonlySet<string>;
}

export interface Plan {
  source: 'syscall';
  /** Every rule of the source, enabled or not (the runtime can enable a rule the files disable). */
  rules: CompiledRule[];
  groups: EvaluatorGroup[];
  /** Event codes the enabled rules can match. */
  ruleCodes: number[];
  /** Per rule (index into `rules`), the event codes its evaluators run it for, ascending. */
  codesByRule: number[][];
  /** Event codes the kernel side must deliver: the rules' ∪ the ones state keeping needs. */
  kernelCodes: number[];
  /** Distinct fields the conditions read (printed form), for the manifest. */
  fields: string[];
}
