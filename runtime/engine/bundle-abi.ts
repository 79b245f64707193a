// The contract between a compiled bundle (compiler/emit) and the runtime that loads it.
// A bundle is one ES module with no imports: it exports its ABI version, its rule table and
// `create(rt)`, which receives everything it calls at run time in `rt` (field extraction,
// generic operator checks). Any change to these shapes bumps BUNDLE_ABI, and the runtime
// refuses bundles of another ABI rather than misreading them.
import type { Extracted } from '../operators/values.ts';
import type { CheckPredicate, CheckSpec } from '../operators/compare.ts';

/**
 * ABI 3 (after 2, which added `cut`): the rule table holds the rules of every source, not only
 * syscall ones; `rt.operand` takes the event source whose events the operand reads; create()'s
 * result adds `sources`, per plugin source a factory of that source's evaluator.
 */
export const BUNDLE_ABI = 3;

/** A rule as the bundle describes it: what alerting and selection need at run time. */
export interface BundleRule {
  name: string;
  priority: string;
  source: string;
  tags: string[];
  /** As the rules files leave it: the runtime applies falco.yaml's append_output. */
  enabled: boolean;
  /** The output format as written (appends joined), before append_output. */
  output: string;
  /** Rules file (base name) and line of the rule's definition. */
  file: string;
  line: number;
}

/** What compiled code calls; one object per loaded bundle. */
export interface BundleRuntime {
  /**
   * The extractor of an operand (a field or a transformer), written as Falco prints it. With
   * `cut`, string values come cut at their first NUL (the bundle only compares them as C
   * strings). ABI 2 added `cut`. `source` (ABI 3; default `syscall`) is the event source the
   * operand is resolved for and whose contexts the extractor receives: a syscall EventContext,
   * or for a plugin source the PluginEventContext of runtime/sources/plugin-field-source.ts.
   */
  operand(text: string, cut?: boolean, source?: string): (ctx: unknown) => Extracted;
  /** A check the bundle does not inline, with the reference operator semantics. */
  check(spec: CheckSpec): CheckPredicate;
  /** Wraps an error raised while evaluating rule `rule` so that it names the rule. */
  ruleError(error: unknown, rule: number): Error;
  /**
   * Supplied only to instrumented bundles (`instrumented: true`), which `falcoc bench` builds in
   * memory and never ships: deployable bundles neither read nor need it, so it is no part of
   * what the ABI asks of a runtime.
   */
  profile?: RuleProfile;
}

/** Per-rule counters an instrumented bundle updates; indexes are the bundle's rule indexes. */
export interface RuleProfile {
  /** A monotonic clock in milliseconds (called unbound, twice per evaluated rule case). */
  now(): number;
  /** Times each rule's condition was evaluated. */
  evaluations: Float64Array;
  /** Milliseconds spent in each rule's condition, clock overhead included. */
  time: Float64Array;
}

export type MatchCallback = (rule: number) => void;

/** The rules of one plugin source: every event of the source goes through all of them. */
export interface SourceEvaluator {
  /**
   * Evaluates the source's rules in load order, skipping rules whose `active` byte is 0; calls
   * `hit` per match (only the first unless `all`). Returns the count.
   */
  evaluate(ctx: unknown, active: Uint8Array, all: boolean, hit: MatchCallback): number;
}

export interface BundleEvaluator {
  /**
   * Evaluates the rules that can match events of `code`, in load order, skipping rules whose
   * `active` byte is 0; calls `hit` per match (only the first unless `all`). Returns the count.
   */
  evaluate(code: number, ctx: unknown, active: Uint8Array, all: boolean, hit: MatchCallback): number;
  /** Event codes some rule can match (any rule, enabled or not). */
  readonly codes: readonly number[];
  /** Per rule, the event codes it can match (none for rules of plugin sources). */
  readonly ruleCodes: readonly (readonly number[])[];
  /**
   * Per plugin source with rules in the bundle, the factory of its evaluator (ABI 3). The
   * source's operands are resolved when the factory is called, so a host resolves only the
   * sources it runs.
   */
  readonly sources: ReadonlyMap<string, () => SourceEvaluator>;
}

export interface BundleModule {
  abi: number;
  /** Set by instrumented builds: create() then requires `rt.profile`. */
  instrumented?: boolean;
  rules: readonly BundleRule[];
  create(rt: BundleRuntime): BundleEvaluator;
}
