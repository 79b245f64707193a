// The rules side of replay and live runs with a compiled bundle instead of rules files. Rule
// selection, minimum priority, matching mode and append_output are the host's settings, applied
// at load exactly as SyscallRuleEngine applies them to rules files: the bundle carries every
// rule (disabled ones too) and an `active` mask decides which alert.
import { compileOutput } from '../../compiler/check/output-format.ts';
import { extraApplies, ruleOutputFormat } from '../../compiler/resolve/output-extras.ts';
import { catalogFor, SYSCALL_SOURCE } from '../fields/catalog.ts';
import type { Alert } from '../format/alert.ts';
import type { FieldSource } from '../interpreter/evaluate.ts';
import { EVENT_CODE_COUNT } from '../events/event-index.ts';
import type { ExtraOutputs } from './append-output.ts';
import { BUNDLE_ABI, type BundleEvaluator, type BundleModule, type RuleProfile } from './bundle-abi.ts';
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
    if (mod.abi !== BUNDLE_ABI) {
      throw new BundleLoadError(`the bundle was built for runtime ABI ${mod.abi}, this runtime speaks ABI ${BUNDLE_ABI}: rebuild it with this falcoc (falcoc build)`);
    }
    const catalog = catalogFor(SYSCALL_SOURCE)!;
    this.matchAll = opts.ruleMatching === 'all';
    const active = activeRules(mod.rules, opts);
    const extras = opts.extras ?? { extraOutputs: [], extraOutputFields: [], typedKeys: new Set<string>() };
    this.active = new Uint8Array(mod.rules.length);
    this.rules = mod.rules.map((r, i) => {
      if (!active.has(r)) return undefined;
      this.active[i] = 1;
      const compile = (format: string) => {
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
    const rt = bundleRuntime(catalog, mod.rules);
    this.evaluator = mod.create(mod.instrumented && opts.profile ? { ...rt, profile: opts.profile } : rt);
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
