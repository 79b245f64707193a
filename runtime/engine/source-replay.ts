// `falcoc replay <file|dir…> --source <plugin source>`: Kubernetes audit logs, CloudTrail logs,
// Okta and GitHub events or any JSON, through the rules of that source, with the same outputs,
// alert formats and storm control as a capture replay. Bad documents are reported (file:line
// and why), counted and skipped; the good events around them are replayed.
import type { EngineConfig } from '../config/engine-config.ts';
import { formatAlert, type Alert, type AlertSettings } from '../format/alert.ts';
import { openOutputs } from '../outputs/outputs.ts';
import { AlertGate } from '../outputs/alert-gate.ts';
import { PLUGIN_SOURCES } from '../sources/sources.ts';
import { pluginEvents, type InputProblem } from '../sources/file-input.ts';
import { PluginFieldSource } from '../sources/plugin-field-source.ts';
import type { PluginEvent, PluginSourceDef } from '../sources/plugin-event.ts';
import { PluginRuleEngine, type PluginEngine } from './plugin-engine.ts';
import { CompiledPluginEngine } from './compiled-engine.ts';
import { alertHostname, settingsOf } from './replay-session.ts';
import { loadRuleset, loadSessionBundle, sessionSettings, type SessionInput } from './session-setup.ts';
import type { Ruleset } from '../../compiler/resolve/ruleset.ts';
import type { BundleModule } from './bundle-abi.ts';
import type { ExtraOutputs } from './append-output.ts';
import { RuleMatches } from './rule-matches.ts';

export interface SourceReplayOptions extends Omit<SessionInput, 'capture'> {
  source: string;
  /** Files, folders, or `-` for standard input. */
  inputs: readonly string[];
  json?: boolean;
  write(text: string): void;
  /** Standard input's bytes (tests); default fd 0. */
  stdin?: () => Buffer;
  /** Show which file is being read (the CLI passes stderr.isTTY). */
  progress?: boolean;
}

export interface SourceReplaySummary {
  source: string;
  events: number;
  alerts: number;
  alertsByRule: Record<string, number>;
  /** Documents or files that could not be used. */
  problems: number;
  elapsedS: number;
}

/** The rules of a plugin source: interpreted from a ruleset, or a bundle's compiled evaluator. */
export function makePluginEngine(
  source: string, rules: { ruleset: Ruleset } | { bundle: BundleModule }, config: EngineConfig, extras: ExtraOutputs,
): PluginEngine {
  const options = { minPriority: config.priority, ruleMatching: config.ruleMatching, selection: config.rules };
  return 'bundle' in rules
    ? new CompiledPluginEngine(rules.bundle, source, { ...options, extras })
    : new PluginRuleEngine(rules.ruleset, source, { ...options, typedExtraKeys: extras.typedKeys });
}

/** The engine of a plugin source from the rules files or the bundle, or undefined after logging why not. */
export async function pluginEngine(o: Omit<SessionInput, 'capture'> & { source: string }, config: EngineConfig, extras: ExtraOutputs): Promise<PluginEngine | undefined> {
  if (!PLUGIN_SOURCES.has(o.source)) {
    o.log(`falcoc: unknown event source '${o.source}': use one of syscall, ${[...PLUGIN_SOURCES.keys()].join(', ')}`);
    return undefined;
  }
  let rules: { ruleset: Ruleset } | { bundle: BundleModule };
  if (o.bundle) rules = { bundle: await loadSessionBundle({ ...o, capture: '' }) };
  else {
    const loaded = loadRuleset({ ...o, capture: '' }, extras);
    if (!loaded) return undefined;
    rules = { ruleset: loaded.ruleset };
  }
  const engine = makePluginEngine(o.source, rules, config, extras);
  if (engine.rules.length === 0) o.log(`falcoc: warning: the ${o.bundle ? 'bundle has' : 'rules files have'} no enabled rule of source '${o.source}'`);
  return engine;
}

/** One plugin source's detection: events in, formatted alerts out (replay and live alike). */
export class SourceDetector {
  readonly matches = new RuleMatches();
  events = 0;
  private readonly src: PluginFieldSource;
  private readonly settings: AlertSettings;

  constructor(
    private readonly engine: PluginEngine,
    def: PluginSourceDef,
    config: EngineConfig,
    private readonly host: string,
    private readonly emit: (text: string, a: Alert) => void,
  ) {
    this.src = new PluginFieldSource(def, host);
    this.settings = settingsOf(config);
  }

  process(ev: PluginEvent): void {
    this.events++;
    this.src.next(ev);
    this.engine.evaluate(this.src, (r) => {
      const a = this.engine.alertFor(r, ev.ts, this.src, this.host);
      this.matches.add(a);
      this.emit(formatAlert(a, this.settings), a);
    });
  }
}

export async function sourceReplaySession(o: SourceReplayOptions): Promise<{ exitCode: 0 | 1; summary?: SourceReplaySummary }> {
  const overrides = [...(o.overrides ?? []), ...(o.json ? ['json_output=true'] : [])];
  const { config, extras } = sessionSettings({ ...o, capture: '' }, overrides);
  const engine = await pluginEngine(o, config, extras);
  if (!engine) return { exitCode: 1 };
  const def = PLUGIN_SOURCES.get(o.source)!;
  const host = alertHostname();
  const outputs = await openOutputs(config.outputs, { write: (t) => o.write(t), log: o.log, json: config.jsonOutput, hostname: host });
  const gate = new AlertGate(config.gate);
  const problems: InputProblem[] = [];
  const started = performance.now();
  const detector = new SourceDetector(engine, def, config, host, (text, a) => {
    if (gate.active && !gate.admit(a)) return;
    outputs.alert(text, a);
  });
  // Streamed: one file in memory at a time; on a terminal, which file of how many.
  const events = pluginEvents(def, o.inputs, {
    onProblem: (p) => {
      problems.push(p);
      if (problems.length <= 20) o.log(`falcoc: ${p.where}: ${p.message}`);
    },
    ...(o.stdin ? { stdin: o.stdin } : {}),
    ...(o.progress ? { onFile: (f: string, i: number, n: number) => process.stderr.write(`\r\x1b[K[${i + 1}/${n}] ${f}  ${detector.events} events  ${detector.matches.total} alerts`) } : {}),
  });
  let n = 0;
  for (const ev of events) {
    detector.process(ev);
    if ((++n & 1023) === 0) outputs.drain();
  }
  if (o.progress) process.stderr.write('\r\x1b[K');
  outputs.drain();
  await outputs.close();
  if (gate.summary()) o.log(gate.summary());
  const summary: SourceReplaySummary = { source: o.source, events: detector.events, alerts: detector.matches.total, alertsByRule: detector.matches.byRule(), problems: problems.length, elapsedS: (performance.now() - started) / 1000 };
  o.log(formatSourceSummary(summary));
  if (problems.length > 20) o.log(`falcoc: … and ${problems.length - 20} more input problems`);
  return { exitCode: problems.length > 0 ? 1 : 0, summary };
}

export function formatSourceSummary(s: SourceReplaySummary): string {
  const lines = [`Events read (${s.source}): ${s.events}, ${s.elapsedS.toFixed(3)} s, ${Math.round(s.events / Math.max(s.elapsedS, 1e-6))} events/s`, `Alerts: ${s.alerts}`];
  const rules = Object.entries(s.alertsByRule).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (rules.length) lines.push('Alerts by rule:', ...rules.map(([r, n]) => `   ${r}: ${n}`));
  if (s.problems) lines.push(`Input problems: ${s.problems} (documents or files skipped, said above)`);
  return lines.join('\n');
}
