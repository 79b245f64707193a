// The plan: what `compiler/plan` hands to `compiler/emit`. Every rule of every source in load
// order (the bundle's one rule table). For the syscall source, per group of event codes that
// share one evaluator, the rule conditions specialised for those codes (event-type checks
// folded away), their conjuncts ordered by cost, and the sub-expressions several rules share
// (computed once per event). For each plugin source, one group of all its rules: plugin
// events have no event type to index by.
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
  /** Empty for a plugin source's group. */
  codes: number[];
  /** In load order: `first` matching stops at the first case that matches. */
  cases: RuleCase[];
  /** Keys of sub-expressions that occur more than once in the group's cases: memoised per event. */
  shared: ReadonlySet<string>;
}

/** The rules of one plugin source (k8s_audit, aws_cloudtrail, …): one evaluator over all of them. */
export interface SourcePlan {
  source: string;
  /** The source's rules in load order (codes empty), folded for the source, ordered, shared keys marked. */
  group: EvaluatorGroup;
  /** Distinct fields the source's conditions read (printed form), for the manifest. */
  fields: string[];
}

export interface Plan {
  /** The source `groups` and the event-code sets below are for. */
  source: 'syscall';
  /**
   * Every rule of every source, enabled or not (the runtime can enable a rule the files
   * disable), in load order: the bundle's rule table, which cases index into.
   */
  rules: CompiledRule[];
  /** The syscall source's evaluators. */
  groups: EvaluatorGroup[];
  /** Event codes the enabled rules can match. */
  ruleCodes: number[];
  /** Per rule (index into `rules`), the event codes its evaluators run it for, ascending (none for plugin rules). */
  codesByRule: number[][];
  /** Event codes the kernel side must deliver: the rules' ∪ the ones state keeping needs. */
  kernelCodes: number[];
  /** Distinct fields the syscall conditions read (printed form), for the manifest. */
  fields: string[];
  /** One plan per plugin source that has rules, in order of the source's first rule. */
  sources: SourcePlan[];
}
