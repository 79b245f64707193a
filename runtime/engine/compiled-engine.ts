// The rules side of replay and live runs with a compiled bundle instead of rules files. Rule
// selection, minimum priority, matching mode and append_output are the host's settings, applied
// at load exactly as SyscallRuleEngine (and PluginRuleEngine) apply them to rules files: the
// bundle carries every rule of every source (disabled ones too) and an `active` mask decides
// which alert. CompiledRuleEngine runs the syscall evaluators, CompiledPluginEngine one plugin
// source's.
import { compileOutput } from '../../compiler/check/output-format.ts';
import { extraApplies, ruleOutputFormat } from '../../compiler/resolve/output-extras.ts';
import { catalogFor, SYSCALL_SOURCE } from '../fields/catalog.ts';
import type { Alert } from '../format/alert.ts';
import type { FieldSource } from '../interpreter/evaluate.ts';
import type { PluginEngine } from './plugin-engine.ts';
import { EVENT_CODE_COUNT } from '../events/event-index.ts';
import type { ExtraOutputs } from './append-output.ts';
import { BUNDLE_ABI, type BundleEvaluator, type BundleModule, type RuleProfile, type SourceEvaluator } from './bundle-abi.ts';
import { BundleLoadError, bundleRuntime } from './bundle-runtime.ts';
import {
  activeRules, alertRuleOf, renderAlert, type EngineSource, type MatchedRule, type RuleEngine, type RuleEngineOptions,
} from './rule-engine.ts';

export interface CompiledEngineOptions extends RuleEngineOptions {
  /** falco.yaml append_output, applied to the bundle's outputs at load. */
  extras?: ExtraOutputs;
  /** Counters for an instrumented bundle (falcoc bench); required by those, ignored by others. */
  profile?: RuleProfile;
}

/** The bundle's rules as one source's host runs them: the active mask and, per active rule, its alert. */
function selectRules(mod: BundleModule, opts: CompiledEngineOptions, source: string): { active: Uint8Array; rules: (MatchedRule | undefined)[] } {
  if (mod.abi !== BUNDLE_ABI) {
    throw new BundleLoadError(`the bundle was built for runtime ABI ${mod.abi}, this runtime speaks ABI ${BUNDLE_ABI}: rebuild it with this falcoc (falcoc build)`);
  }
  const catalog = catalogFor(source);
  const selected = activeRules(mod.rules, opts, source);
  const extras = opts.extras ?? { extraOutputs: [], extraOutputFields: [], typedKeys: new Set<string>() };
  const active = new Uint8Array(mod.rules.length);
  const rules = mod.rules.map((r, i) => {
    if (!selected.has(r)) return undefined;
    active[i] = 1;
    const compile = (format: string) => {
      if (!catalog) throw new BundleLoadError(`rule '${r.name}': this runtime has no fields for the event source '${source}'`);
      try {
        return compileOutput(format, catalog);
      } catch (e) {
        throw new BundleLoadError(`rule '${r.name}': output ${JSON.stringify(format)} does not compile here: ${(e as Error).message}`);
      }
    };
    const output = compile(ruleOutputFormat(r.output, r, extras.extraOutputs));
    const fields = extras.extraOutputFields.filter((f) => extraApplies(f, r)).map((f) => ({ key: f.key, compiled: compile(f.format) }));
    return { name: r.name, alert: alertRuleOf(r, output, fields, extras.typedKeys) };
  });
  if (mod.instrumented && !opts.profile) throw new BundleLoadError('this bundle is instrumented (built by falcoc bench for profiling): deploy the output of falcoc build instead');
  return { active, rules };
}

/**
 * Evaluators of the bundles loaded so far: a live run's syscall engine and its plugin inputs'
 * engines share one (no per-call state survives a call, and calls do not nest), so the syscall
 * operands resolve once. Instrumented bundles get their own, bound to the caller's profile.
 */
const created = new WeakMap<BundleModule, BundleEvaluator>();

function evaluatorOf(mod: BundleModule, opts: CompiledEngineOptions): BundleEvaluator {
  const rt = bundleRuntime(catalogFor(SYSCALL_SOURCE)!, mod.rules);
  if (mod.instrumented) return mod.create(opts.profile ? { ...rt, profile: opts.profile } : rt);
  let evaluator = created.get(mod);
  if (!evaluator) created.set(mod, (evaluator = mod.create(rt)));
  return evaluator;
}

export class CompiledRuleEngine implements RuleEngine {
  private readonly evaluator: BundleEvaluator;
  /** Per bundle rule: 1 when it alerts under this host's settings. */
  private readonly active: Uint8Array;
  private readonly wanted = new Uint8Array(EVENT_CODE_COUNT);
  /** Per bundle rule (undefined when inactive). */
  readonly rules: (MatchedRule | undefined)[];
  readonly matchAll: boolean;
  private onMatch: (r: MatchedRule) => void = () => {};
  private readonly hit = (i: number) => this.onMatch(this.rules[i]!);

  constructor(mod: BundleModule, opts: CompiledEngineOptions = {}) {
    this.matchAll = opts.ruleMatching === 'all';
    ({ active: this.active, rules: this.rules } = selectRules(mod, opts, SYSCALL_SOURCE));
    this.evaluator = evaluatorOf(mod, opts);
    this.evaluator.ruleCodes.forEach((codes, i) => {
      if (this.active[i]) for (const c of codes) this.wanted[c] = 1;
    });
  }

  /** Per bundle rule, the event codes it can match. */
  get ruleCodes(): readonly (readonly number[])[] {
    return this.evaluator.ruleCodes;
  }

  wants(code: number): boolean {
    return this.wanted[code] === 1;
  }

  eventCodes(): Set<number> {
    const out = new Set<number>();
    this.wanted.forEach((w, code) => w && out.add(code));
    return out;
  }

  evaluate(code: number, src: EngineSource, onMatch: (r: MatchedRule) => void): number {
    this.onMatch = onMatch;
    return this.evaluator.evaluate(code, src.ctx, this.active, this.matchAll, this.hit);
  }

  alertFor(r: MatchedRule, time: bigint, src: FieldSource, hostname: string): Alert {
    return renderAlert(r.alert, time, src, hostname);
  }
}

/**
 * One plugin source's rules from a bundle: the same interface as PluginRuleEngine (the
 * interpreter), every event through the source's one evaluator, in load order.
 */
export class CompiledPluginEngine implements PluginEngine {
  private readonly evaluator: SourceEvaluator | undefined;
  private readonly active: Uint8Array;
  private readonly byIndex: (MatchedRule | undefined)[];
  /** The active rules of the source, in load order. */
  readonly rules: MatchedRule[];
  readonly matchAll: boolean;
  private onMatch: (r: MatchedRule) => void = () => {};
  private readonly hit = (i: number) => this.onMatch(this.byIndex[i]!);

  constructor(
    mod: BundleModule,
    readonly source: string,
    opts: CompiledEngineOptions = {},
  ) {
    this.matchAll = opts.ruleMatching === 'all';
    ({ active: this.active, rules: this.byIndex } = selectRules(mod, opts, source));
    this.rules = this.byIndex.filter((r): r is MatchedRule => r !== undefined);
    // A source with no active rule needs no evaluator: nothing can match.
    this.evaluator = this.rules.length ? evaluatorOf(mod, opts).sources.get(source)?.() : undefined;
  }

  evaluate(src: EngineSource, onMatch: (r: MatchedRule) => void): number {
    if (this.evaluator === undefined) return 0;
    this.onMatch = onMatch;
    return this.evaluator.evaluate(src.ctx, this.active, this.matchAll, this.hit);
  }

  alertFor(r: MatchedRule, time: bigint, src: FieldSource, hostname: string): Alert {
    return renderAlert(r.alert, time, src, hostname);
  }
}
