// What `falcoc replay` and `falcoc bench` both do before a capture is read: take the engine
// settings as Falco does (falco.yaml, then -o overrides; unknown keys warn), and load the rules
// files (reporting their errors like lint) or a compiled bundle.
import { lint } from '../../compiler/lint.ts';
import { formatLintText } from '../../compiler/report/text.ts';
import type { Ruleset } from '../../compiler/resolve/ruleset.ts';
import { loadEngineConfig, type EngineConfig } from '../config/engine-config.ts';
import { extraOutputsOf, type ExtraOutputs } from './append-output.ts';
import type { BundleModule } from './bundle-abi.ts';
import { loadBundle } from './load-bundle.ts';
import { SyscallRuleEngine, type RuleEngine } from './rule-engine.ts';
import { CompiledRuleEngine } from './compiled-engine.ts';

/** The inputs a session shares: a capture, rules files or a bundle, engine settings, a log. */
export interface SessionInput {
  capture: string;
  /** Rules files or folders; or … */
  rules?: readonly string[];
  /** … a compiled bundle (file, or the build's output folder). */
  bundle?: string;
  /** PEM ed25519 public key: the bundle's signature must verify. */
  verifyKey?: string;
  configFile?: string;
  /** `-o key=value`, in order. */
  overrides?: readonly string[];
  /** Warnings, load errors and summaries (stderr in the CLI). */
  log(line: string): void;
}

export interface SessionSettings {
  config: EngineConfig;
  extras: ExtraOutputs;
  /** The rule-engine options both engines take from the settings. */
  engineOptions: { minPriority: string; ruleMatching: EngineConfig['ruleMatching']; selection: EngineConfig['rules'] };
}

export function sessionSettings(o: SessionInput, overrides: readonly string[]): SessionSettings {
  const { config, unknownKeys } = loadEngineConfig({ ...(o.configFile ? { file: o.configFile } : {}), overrides });
  for (const k of unknownKeys) o.log(`falcoc: warning: unknown configuration key '${k}' ignored`);
  return {
    config,
    extras: extraOutputsOf(config.appendOutput),
    engineOptions: { minPriority: config.priority, ruleMatching: config.ruleMatching, selection: config.rules },
  };
}

/** The rules files' ruleset, or undefined after logging their errors. */
export function loadRuleset(o: SessionInput, extras: ExtraOutputs): { ruleset: Ruleset; sources: ReadonlyMap<string, string> } | undefined {
  const report = lint(o.rules ?? [], { extraOutputs: extras.extraOutputs, extraOutputFields: extras.extraOutputFields });
  const ruleset = report.result.ruleset;
  if (!ruleset || report.errors > 0) {
    o.log(formatLintText(report.diagnostics.filter((d) => d.severity === 'error'), report.sources));
    o.log('falcoc: the rules did not load; fix the errors above (`falcoc lint` shows warnings too)');
    return undefined;
  }
  return { ruleset, sources: report.sources };
}

export async function loadSessionBundle(o: SessionInput): Promise<BundleModule> {
  return (await loadBundle(o.bundle!, o.verifyKey ? { verifyKey: o.verifyKey } : {})).module;
}

/**
 * The engine replay and live runs raise alerts with, from the settings (`json` as
 * `-o json_output=true`): rules interpreted, or the bundle compiled (returned too: its plugin
 * sources' evaluators serve the live plugin inputs). Undefined after logging why
 * the rules did not load.
 */
export async function alertingEngine(
  o: SessionInput & { json?: boolean },
): Promise<{ engine: RuleEngine; config: EngineConfig; extras: ExtraOutputs; ruleset?: Ruleset; bundle?: BundleModule } | undefined> {
  const overrides = [...(o.overrides ?? []), ...(o.json ? ['json_output=true'] : [])];
  const { config, extras, engineOptions } = sessionSettings(o, overrides);
  if (o.bundle) {
    const bundle = await loadSessionBundle(o);
    return { engine: new CompiledRuleEngine(bundle, { ...engineOptions, extras }), config, extras, bundle };
  }
  const loaded = loadRuleset(o, extras);
  if (!loaded) return undefined;
  return { engine: new SyscallRuleEngine(loaded.ruleset, { ...engineOptions, typedExtraKeys: extras.typedKeys }), config, extras, ruleset: loaded.ruleset };
}
