// Differential testing of the compiled evaluator against the reference interpreter: rules
// compiled in memory and into a bundle, and a RuleEngine that runs both engines on the same
// event (same state, same field source) and records every event where they disagree.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintSources, type LintOptions } from '../../../compiler/lint.ts';
import type { RulesSource } from '../../../compiler/load/source-file.ts';
import type { Ruleset } from '../../../compiler/resolve/ruleset.ts';
import { buildPlan } from '../../../compiler/plan/build-plan.ts';
import type { Plan } from '../../../compiler/plan/plan.ts';
import { writeBundle, type BundleOutput } from '../../../compiler/emit/bundle.ts';
import { loadBundle } from '../../../runtime/engine/load-bundle.ts';
import type { BundleModule } from '../../../runtime/engine/bundle-abi.ts';
import type { ExtraOutputs } from '../../../runtime/engine/append-output.ts';
import { CompiledRuleEngine } from '../../../runtime/engine/compiled-engine.ts';
import { SyscallRuleEngine, type EngineRule, type EngineSource, type MatchedRule, type RuleEngine } from '../../../runtime/engine/rule-engine.ts';
import { replayCapture, type ReplaySummary } from '../../../runtime/engine/replay.ts';
import type { CaptureSource } from '../../../runtime/capture/capture-reader.ts';
import { SyscallFieldSource } from '../../../runtime/extract/registry.ts';
import type { EventContext } from '../../../runtime/extract/context.ts';
import { eventName } from '../../../runtime/events/event-index.ts';
import type { FieldSource } from '../../../runtime/interpreter/evaluate.ts';
import type { Alert, AlertSettings } from '../../../runtime/format/alert.ts';
import { alertJson } from '../../../runtime/format/alert.ts';

/** Every JSON property on: two alerts with the same line here are the same alert. */
export const FULL_JSON = {
  jsonOutput: true,
  jsonIncludeOutputProperty: true,
  jsonIncludeMessageProperty: true,
  jsonIncludeOutputFieldsProperty: true,
  jsonIncludeTagsProperty: true,
  timeFormatIso8601: false,
};

/** Loads rules from memory; throws with the diagnostics when they do not load cleanly. */
export function compileSources(sources: readonly RulesSource[], opts: LintOptions = {}): Ruleset {
  const report = lintSources(sources, opts);
  const ruleset = report.result.ruleset;
  if (!ruleset || report.errors > 0) {
    const errors = report.diagnostics.filter((d) => d.severity === 'error');
    const lineOf = (d: (typeof errors)[number]) => sources.find((x) => x.name === d.file)?.text.split('\n')[d.line - 1] ?? '';
    throw new Error(`rules did not load:\n${errors.map((d) => `${d.file}:${d.line}:${d.col}: ${d.code}: ${d.message}\n  ${lineOf(d)}`).join('\n')}`);
  }
  return ruleset;
}

export interface BuiltBundle {
  plan: Plan;
  output: BundleOutput;
  module: BundleModule;
}

/** Plans, emits and writes the bundle into `outdir`, then loads it the way hosts do. */
export async function buildAndLoad(ruleset: Ruleset, sources: readonly RulesSource[], outdir: string, name = 'rules'): Promise<BuiltBundle> {
  const plan = buildPlan(ruleset);
  const output = await writeBundle({ plan, sources, outdir, name });
  const { module } = await loadBundle(output.bundleFile);
  return { plan, output, module };
}

/** A fresh temporary folder and its removal. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface PairOptions {
  /** Render and compare the alerts of matching rules (output strings, fields, tags), not only rule names. */
  compareAlerts?: boolean;
  /** Evaluate this event? (Random rulesets sample events to stay fast.) Default: every event. */
  sample?(code: number, evtNum: number): boolean;
  /** Stop recording after this many mismatches (default 20). */
  maxMismatches?: number;
  /** Record the compiled engines' alerts as JSON lines (for comparing with Falco's). */
  record?: { settings: AlertSettings; hostname: string };
}

/**
 * Runs the interpreter (rule_matching=all), the compiled engine (all) and the compiled engine
 * (first) on every event. They must report the same rules in the same order, the `first`
 * engine exactly the first of them, and (with compareAlerts) render the same alerts.
 * Matches are not forwarded to the replay loop (no alert rendering unless compareAlerts).
 */
export class EnginePair implements RuleEngine {
  readonly mismatches: string[] = [];
  /** Events evaluated, and rule matches seen (interpreter side). */
  evaluated = 0;
  matches = 0;
  readonly matchesByRule = new Map<string, number>();
  /** With `record`: the alert lines of the compiled engine with rule_matching=first, and =all. */
  readonly firstAlerts: string[] = [];
  readonly allAlerts: string[] = [];
  private readonly maxMismatches: number;

  constructor(
    readonly interpreter: SyscallRuleEngine,
    readonly compiledAll: CompiledRuleEngine,
    readonly compiledFirst: CompiledRuleEngine,
    private readonly opts: PairOptions = {},
  ) {
    this.maxMismatches = opts.maxMismatches ?? 20;
    const a = [...interpreter.eventCodes()].sort((x, y) => x - y).join(',');
    const b = [...compiledAll.eventCodes()].sort((x, y) => x - y).join(',');
    if (a !== b) this.mismatch(`event codes differ: interpreter [${a}], compiled [${b}]`);
  }

  private mismatch(text: string): void {
    if (this.mismatches.length < this.maxMismatches) this.mismatches.push(text);
  }

  wants(code: number): boolean {
    const w = this.interpreter.wants(code);
    if (w !== this.compiledAll.wants(code)) this.mismatch(`wants(${eventName(code)}) differs`);
    return w;
  }

  eventCodes(): Set<number> {
    return this.interpreter.eventCodes();
  }

  evaluate(code: number, src: EngineSource, _onMatch: (r: MatchedRule) => void): number {
    const ctx = src.ctx as EventContext;
    const num = ctx.state.evtNum;
    if (this.opts.sample && !this.opts.sample(code, num)) return 0;
    this.evaluated++;
    const want: MatchedRule[] = [];
    const got: MatchedRule[] = [];
    const first: MatchedRule[] = [];
    this.interpreter.evaluate(code, src, (r) => void want.push(r));
    this.compiledAll.evaluate(code, src, (r) => void got.push(r));
    this.compiledFirst.evaluate(code, src, (r) => void first.push(r));
    this.matches += want.length;
    for (const r of want) this.matchesByRule.set(r.name, (this.matchesByRule.get(r.name) ?? 0) + 1);
    const names = (rs: MatchedRule[]) => JSON.stringify(rs.map((r) => r.name));
    const at = `event #${num} (${eventName(code)}, tid ${ctx.view.tid})`;
    if (names(want) !== names(got)) this.mismatch(`${at}: interpreter matched ${names(want)}, compiled ${names(got)}`);
    else if (names(want.slice(0, 1)) !== names(first)) this.mismatch(`${at}: rule_matching=first: interpreter ${names(want.slice(0, 1))}, compiled ${names(first)}`);
    else if (this.opts.compareAlerts) {
      const time = ctx.view.ts;
      want.forEach((r, i) => {
        const a = alertJson(this.interpreter.alertFor(r as EngineRule, time, src, 'host'), FULL_JSON);
        const b = alertJson(this.compiledAll.alertFor(got[i]!, time, src, 'host'), FULL_JSON);
        if (a !== b) this.mismatch(`${at}: rule ${JSON.stringify(r.name)}: alerts differ\n  interpreter ${a}\n  compiled    ${b}`);
      });
    }
    const rec = this.opts.record;
    if (rec) {
      const line = (e: CompiledRuleEngine, r: MatchedRule) => alertJson(e.alertFor(r, ctx.view.ts, src, rec.hostname), rec.settings);
      for (const r of first) this.firstAlerts.push(line(this.compiledFirst, r));
      for (const r of got) this.allAlerts.push(line(this.compiledAll, r));
    }
    return got.length;
  }

  alertFor(r: MatchedRule, time: bigint, src: FieldSource, hostname: string): Alert {
    return this.compiledAll.alertFor(r, time, src, hostname);
  }
}

/**
 * The three engines of a pair for one ruleset and its bundle. With `extras` (falco.yaml's
 * append_output), the ruleset must have been loaded with the same extra outputs.
 */
export function enginePair(ruleset: Ruleset, module: BundleModule, opts: PairOptions = {}, extras?: ExtraOutputs): EnginePair {
  const x = extras ? { extras } : {};
  return new EnginePair(
    new SyscallRuleEngine(ruleset, { ruleMatching: 'all', ...(extras ? { typedExtraKeys: extras.typedKeys } : {}) }),
    new CompiledRuleEngine(module, { ruleMatching: 'all', ...x }),
    new CompiledRuleEngine(module, { ruleMatching: 'first', ...x }),
    opts,
  );
}

/** Replays a capture through a pair (alerts are dropped: the pair compares them itself). */
export function replayPair(capture: CaptureSource, pair: EnginePair): Promise<ReplaySummary> {
  return replayCapture(capture, {
    engine: pair,
    hostname: 'host',
    fieldSource: (state, view) => new SyscallFieldSource({ state, view }),
    onAlert: () => {},
  });
}
