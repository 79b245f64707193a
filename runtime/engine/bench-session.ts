// `falcoc bench`: what rules cost on a capture. The capture is replayed several times in one
// process: decode+state alone, then decode+state+evaluate with the deployable compiled evaluator
// (the overall events/s a host would see), then, when the rules files are given, once more with
// an instrumented build of the same plan whose rule cases count their evaluations and time
// themselves (see EmitOptions.instrument). Matches are counted, alerts are not formatted: output
// is not the rules' cost.
//
// A bundle carries no rules to rebuild from, so with --bundle the per-rule figures are the
// matches (from the `hit` callback) and the evaluations implied by the events each rule's types
// received (exact under rule_matching=all, an upper bound under first); time per rule needs -r.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { buildPlan } from '../../compiler/plan/build-plan.ts';
import { emitEvaluator } from '../../compiler/emit/emit-evaluator.ts';
import { evaluatorHeader, rulesetHash } from '../../compiler/emit/bundle.ts';
import { SyscallFieldSource } from '../extract/registry.ts';
import { EVENT_CODE_COUNT } from '../events/event-index.ts';
import type { Alert } from '../format/alert.ts';
import type { BundleModule, RuleProfile } from './bundle-abi.ts';
import { CompiledRuleEngine, type CompiledEngineOptions } from './compiled-engine.ts';
import { replayCapture, type ReplaySummary } from './replay.ts';
import type { EngineSource, MatchedRule, RuleEngine } from './rule-engine.ts';
import { loadRuleset, loadSessionBundle, sessionSettings, type SessionInput } from './session-setup.ts';

/**
 * `rules` are compiled in memory (per-rule time); a `bundle` gives per-rule evaluations and
 * matches only. `overrides` apply after the bench's own default `rule_matching=all`.
 */
export type BenchSessionOptions = SessionInput;

export interface PassFigures {
  elapsed_s: number;
  events_per_s: number;
}

export interface RuleCost {
  name: string;
  priority: string;
  file: string;
  line: number;
  evaluations: number;
  matches: number;
  /**
   * Seconds in the rule's condition per run, measured by the instrumented build with the clock's
   * own cost subtracted (null from a bundle). Instrumented code runs somewhat slower than the
   * deployable evaluator, so compare rules by share rather than add these up.
   */
  time_s: number | null;
  /** Fraction of the time of all rules. */
  share: number | null;
  /** time_s per evaluation, in nanoseconds. */
  ns_per_evaluation: number | null;
}

export interface BenchReport {
  capture: string;
  /** Events handed to the rules, and every record of the file. */
  events: number;
  events_read: number;
  rule_matching: 'first' | 'all';
  /** Where the evaluator came from. */
  evaluator: 'rules' | 'bundle';
  /** `instrumented`: per-rule time measured; `none`: counts only (from a bundle). */
  per_rule_time: 'instrumented' | 'none';
  /** Under `first`, from a bundle, evaluations are an upper bound (a rule after a match is skipped). */
  evaluations_exact: boolean;
  syscall_rules: number;
  active_rules: number;
  decode_state: PassFigures;
  decode_state_evaluate: PassFigures;
  /** Difference of the two passes: what evaluating the rules added. */
  evaluate_s: number;
  /** Total rule time the instrumented build measured (per run). */
  instrumented_s: number | null;
  /** Runs per pass (short captures are replayed several times; the fastest run counts, counters are per run). */
  runs: number;
  /** Clock cost subtracted per evaluation from the instrumented times. */
  clock_overhead_ns: number | null;
  matches: number;
  /** Active rules, costliest first. */
  rules: RuleCost[];
}

export interface BenchSessionResult {
  exitCode: 0 | 1;
  report?: BenchReport;
}

/** Decode and state only: wants no event. */
const NO_RULES: RuleEngine = {
  wants: () => false,
  eventCodes: () => new Set(),
  evaluate: () => 0,
  alertFor: () => {
    throw new Error('unreachable');
  },
};

/** Counts matches per rule and evaluate calls per event code; never renders an alert. */
class CountingEngine implements RuleEngine {
  readonly matches: Float64Array;
  readonly calls = new Float64Array(EVENT_CODE_COUNT);
  private readonly count: (r: MatchedRule) => void;

  constructor(
    private readonly inner: CompiledRuleEngine,
    index: ReadonlyMap<string, number>,
  ) {
    this.matches = new Float64Array(index.size);
    this.count = (r) => void this.matches[index.get(r.name)!]!++;
  }

  wants(code: number): boolean {
    return this.inner.wants(code);
  }

  eventCodes(): Set<number> {
    return this.inner.eventCodes();
  }

  evaluate(code: number, src: EngineSource): number {
    this.calls[code]!++;
    return this.inner.evaluate(code, src, this.count);
  }

  alertFor(): Alert {
    throw new Error('the bench counts matches and renders no alert');
  }
}

/** Imports generated module text (it has no imports) through a private temporary file. */
async function importModule(ts: string): Promise<BundleModule> {
  const { code } = await transform(ts, { loader: 'ts', format: 'esm', target: 'node20', legalComments: 'none' });
  const dir = mkdtempSync(join(tmpdir(), 'falcoc-bench-'));
  try {
    const file = join(dir, 'rules.bundle.mjs');
    writeFileSync(file, code);
    return (await import(pathToFileURL(file).href)) as BundleModule;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What one back-to-back pair of clock reads costs, in ms (the median of many). */
function clockOverhead(now: () => number): number {
  const samples: number[] = [];
  for (let i = 0; i < 21; i++) {
    const n = 20_000;
    const t = now();
    let x = 0;
    for (let j = 0; j < n; j++) x += now();
    samples.push((now() - t) / n);
    if (x < 0) samples.push(0); // keeps the loop from being optimised away
  }
  samples.sort((a, b) => a - b);
  return samples[10]!;
}

/** Runs a pass until about a second has gone (at most 10 runs); the fastest run, and how many ran. */
async function bestOf(capture: string, engine: () => RuleEngine): Promise<ReplaySummary & { runs: number }> {
  let best: ReplaySummary | undefined;
  let total = 0;
  let runs = 0;
  while (runs < 10 && (runs === 0 || total < 1)) {
    const s = await pass(capture, engine());
    if (s.error) throw s.error;
    runs++;
    total += s.elapsedS;
    if (!best || s.elapsedS < best.elapsedS) best = s;
  }
  return { ...best!, runs };
}

async function pass(capture: string, engine: RuleEngine): Promise<ReplaySummary> {
  return replayCapture(capture, {
    engine,
    hostname: 'bench',
    fieldSource: (state, view) => new SyscallFieldSource({ state, view }),
    onAlert: () => {},
  });
}

const figures = (s: ReplaySummary): PassFigures => ({ elapsed_s: s.elapsedS, events_per_s: s.elapsedS > 0 ? s.events / s.elapsedS : 0 });

export async function benchSession(o: BenchSessionOptions): Promise<BenchSessionResult> {
  const overrides = ['rule_matching=all', ...(o.overrides ?? [])];
  const { config, extras, engineOptions } = sessionSettings(o, overrides);
  const engineOpts: CompiledEngineOptions = { ...engineOptions, extras };

  let deployable: BundleModule;
  let instrumented: BundleModule | undefined;
  if (o.bundle) deployable = await loadSessionBundle(o);
  else {
    const loaded = loadRuleset(o, extras);
    if (!loaded) return { exitCode: 1 };
    const plan = buildPlan(loaded.ruleset);
    const header = evaluatorHeader(rulesetHash([...loaded.sources].map(([name, text]) => ({ name, text }))));
    deployable = await importModule(emitEvaluator(plan, { header }));
    instrumented = await importModule(emitEvaluator(plan, { header, instrument: true }));
  }
  const bundleRules = deployable.rules;
  const index = new Map(bundleRules.map((r, i) => [r.name, i]));

  // 1. decode+state; 2. decode+state+evaluate with the deployable evaluator. Each is repeated
  // (best run kept) while short, so a small capture's figures are not the JIT's warm-up.
  const base = await bestOf(o.capture, () => NO_RULES);
  let counting!: CountingEngine;
  let compiled!: CompiledRuleEngine;
  const full = await bestOf(o.capture, () => {
    compiled = new CompiledRuleEngine(deployable, engineOpts);
    return (counting = new CountingEngine(compiled, index));
  });
  const active = bundleRules.map((_, i) => compiled.rules[i] !== undefined);

  // 3. per-rule time with the instrumented build of the same plan (as many runs as pass 2 had, counters averaged).
  let evaluations: Float64Array;
  let time: Float64Array | undefined;
  let overheadMs: number | null = null;
  let matches = counting.matches;
  if (instrumented) {
    const now = performance.now.bind(performance);
    const profile: RuleProfile = { now, evaluations: new Float64Array(bundleRules.length), time: new Float64Array(bundleRules.length) };
    overheadMs = clockOverhead(now);
    const engine = new CountingEngine(new CompiledRuleEngine(instrumented, { ...engineOpts, profile }), index);
    for (let i = 0; i < full.runs; i++) {
      const run = await pass(o.capture, engine);
      if (run.error) throw run.error;
    }
    evaluations = profile.evaluations.map((n) => n / full.runs);
    time = profile.time.map((t, i) => Math.max(0, t - overheadMs! * profile.evaluations[i]!) / full.runs);
    matches = engine.matches.map((n) => n / full.runs);
  } else {
    evaluations = new Float64Array(bundleRules.length);
    compiled.ruleCodes.forEach((codes, i) => {
      if (active[i]) for (const c of codes) evaluations[i]! += counting.calls[c]!;
    });
  }

  const totalTime = time ? time.reduce((a, b) => a + b, 0) : 0;
  const evaluateS = Math.max(0, full.elapsedS - base.elapsedS);
  const rules: RuleCost[] = [];
  bundleRules.forEach((r, i) => {
    if (!active[i]) return;
    const t = time?.[i];
    const ev = evaluations[i]!;

    rules.push({
      name: r.name,
      priority: r.priority,
      file: r.file,
      line: r.line,
      evaluations: ev,
      matches: matches[i]!,
      time_s: t === undefined ? null : t / 1000,
      share: t === undefined ? null : totalTime > 0 ? t / totalTime : 0,
      ns_per_evaluation: t === undefined ? null : ev > 0 ? (t * 1e6) / ev : 0,
    });
  });
  rules.sort((a, b) => (b.time_s ?? 0) - (a.time_s ?? 0) || b.evaluations - a.evaluations || b.matches - a.matches || (a.name < b.name ? -1 : 1));
  return {
    exitCode: 0,
    report: {
      capture: basename(o.capture),
      events: full.events,
      events_read: full.eventsRead,
      rule_matching: config.ruleMatching,
      evaluator: o.bundle ? 'bundle' : 'rules',
      per_rule_time: time ? 'instrumented' : 'none',
      evaluations_exact: time !== undefined || config.ruleMatching === 'all',
      syscall_rules: bundleRules.filter((r) => r.source === 'syscall').length,
      active_rules: rules.length,
      decode_state: figures(base),
      decode_state_evaluate: figures(full),
      evaluate_s: evaluateS,
      instrumented_s: time ? totalTime / 1000 : null,
      runs: full.runs,
      clock_overhead_ns: overheadMs === null ? null : overheadMs * 1e6,
      matches: rules.reduce((n, r) => n + r.matches, 0),
      rules,
    },
  };
}

// ── output ─────────────────────────────────────────────────────────────────────────────────

const int = (n: number) => Math.round(n).toLocaleString('en-US');

export function formatBenchText(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(`capture: ${r.capture}, ${int(r.events)} events (${int(r.events_read)} records)`);
  lines.push(
    `rules: ${r.active_rules} active of ${r.syscall_rules} syscall rules, ${r.evaluator === 'rules' ? 'compiled from the rules files' : 'from the bundle'}; ` +
      `rule_matching=${r.rule_matching}${r.rule_matching === 'all' ? ' (every rule that can match an event is evaluated, so each rule\'s cost shows)' : ' (a rule after a match is not evaluated)'}`,
  );
  if (r.runs > 1) lines.push(`each pass ran ${r.runs} times; fastest run shown, counts per run`);
  lines.push('');
  const row = (label: string, p: PassFigures) => `  ${label.padEnd(24)}${p.elapsed_s.toFixed(3).padStart(9)} s${int(p.events_per_s).padStart(14)} events/s`;
  lines.push(row('decode+state', r.decode_state));
  lines.push(row('decode+state+evaluate', r.decode_state_evaluate));
  const pct = r.decode_state_evaluate.elapsed_s > 0 ? (100 * r.evaluate_s) / r.decode_state_evaluate.elapsed_s : 0;
  const noise = r.decode_state_evaluate.elapsed_s < 0.05 ? ' (the capture is too short to time this reliably)' : '';
  lines.push(`  ${'evaluate (difference)'.padEnd(24)}${r.evaluate_s.toFixed(3).padStart(9)} s   ${pct.toFixed(0)}% of the run${noise}`);
  lines.push(`  ${int(r.matches)} matches (counted; alerts are not formatted, output is not the rules' cost)`);
  lines.push('');
  const timed = r.per_rule_time === 'instrumented';
  lines.push(
    timed
      ? [
          `per rule, costliest first, timed by an instrumented build of the same plan (rules total ${(r.instrumented_s! * 1000).toFixed(1)} ms per run,`,
          `${r.clock_overhead_ns!.toFixed(0)} ns of clock per evaluation subtracted; timing slows the code a little, so compare by share).`,
          'A rule is charged for the fields and shared sub-expressions it reads first:',
        ].join('\n')
      : `per rule, most evaluated first (from the bundle: evaluations${r.evaluations_exact ? '' : ' (at most)'} and matches only; per-rule time needs the rules: falcoc bench <capture> -r <rules…>):`,
  );
  const head = timed ? ['share', 'time ms', 'ns/eval', 'evaluations', 'matches'] : ['evaluations', 'matches'];
  const widths = timed ? [7, 10, 9, 13, 9] : [13, 9];
  lines.push('  ' + head.map((h, i) => h.padStart(widths[i]!)).join('') + '  rule');
  const evaluated = r.rules.filter((x) => x.evaluations > 0);
  for (const x of evaluated) {
    const cells = timed
      ? [`${(x.share! * 100).toFixed(1)}%`, (x.time_s! * 1000).toFixed(2), x.ns_per_evaluation!.toFixed(0), int(x.evaluations), int(x.matches)]
      : [int(x.evaluations), int(x.matches)];
    lines.push('  ' + cells.map((c, i) => c.padStart(widths[i]!)).join('') + `  ${x.name} (${x.file}:${x.line})`);
  }
  const idle = r.rules.length - evaluated.length;
  if (idle > 0) lines.push(`  … and ${idle} active rule${idle === 1 ? '' : 's'} never evaluated (no event of their types in the capture)`);
  return lines.join('\n');
}

export function benchJson(r: BenchReport): string {
  const round = (n: number | null, d: number) => (n === null ? null : Number(n.toFixed(d)));
  return JSON.stringify(
    {
      ...r,
      decode_state: { elapsed_s: round(r.decode_state.elapsed_s, 6), events_per_s: Math.round(r.decode_state.events_per_s) },
      decode_state_evaluate: { elapsed_s: round(r.decode_state_evaluate.elapsed_s, 6), events_per_s: Math.round(r.decode_state_evaluate.events_per_s) },
      evaluate_s: round(r.evaluate_s, 6),
      instrumented_s: round(r.instrumented_s, 6),
      clock_overhead_ns: round(r.clock_overhead_ns, 1),
      rules: r.rules.map((x) => ({
        ...x, time_s: round(x.time_s, 9), share: round(x.share, 6), ns_per_evaluation: round(x.ns_per_evaluation, 1),
      })),
    },
    null,
    2,
  );
}
