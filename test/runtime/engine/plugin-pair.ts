// Differential testing of a plugin source's compiled evaluator against the interpreter: the same
// events (read once) through a SourceDetector over PluginRuleEngine and one over
// CompiledPluginEngine, with the same settings; every alert line is recorded for comparison.
import type { Ruleset } from '../../../compiler/resolve/ruleset.ts';
import type { BundleModule } from '../../../runtime/engine/bundle-abi.ts';
import { extraOutputsOf } from '../../../runtime/engine/append-output.ts';
import { CompiledPluginEngine } from '../../../runtime/engine/compiled-engine.ts';
import { PluginRuleEngine } from '../../../runtime/engine/plugin-engine.ts';
import { SourceDetector } from '../../../runtime/engine/source-replay.ts';
import { loadEngineConfig } from '../../../runtime/config/engine-config.ts';
import { readPluginEvents } from '../../../runtime/sources/file-input.ts';
import { PLUGIN_SOURCES } from '../../../runtime/sources/sources.ts';

/** JSON alerts with every property: two alerts with the same line are the same alert. */
export const FULL_JSON_OVERRIDES = [
  'json_output=true', 'json_include_output_property=true', 'json_include_message_property=true',
  'json_include_output_fields_property=true', 'json_include_tags_property=true',
];

export interface PluginPairResult {
  events: number;
  problems: number;
  interpreted: string[];
  compiled: string[];
}

/**
 * Replays `inputs` as events of `source` through both engines. `ruleset` must have been loaded
 * with the same append_output extras the overrides give (see extrasFor).
 */
export function pluginPair(
  ruleset: Ruleset, module: BundleModule, source: string, inputs: readonly string[], overrides: readonly string[] = [], configFile?: string,
): PluginPairResult {
  const { config } = loadEngineConfig({ overrides: [...FULL_JSON_OVERRIDES, ...overrides], ...(configFile ? { file: configFile } : {}) });
  const extras = extraOutputsOf(config.appendOutput);
  const options = { minPriority: config.priority, ruleMatching: config.ruleMatching, selection: config.rules };
  const def = PLUGIN_SOURCES.get(source)!;
  const interpreted: string[] = [];
  const compiled: string[] = [];
  const a = new SourceDetector(new PluginRuleEngine(ruleset, source, { ...options, typedExtraKeys: extras.typedKeys }), def, config, 'vm', (t) => void interpreted.push(t));
  const b = new SourceDetector(new CompiledPluginEngine(module, source, { ...options, extras }), def, config, 'vm', (t) => void compiled.push(t));
  let problems = 0;
  const events = readPluginEvents(def, inputs, { onProblem: () => void problems++ });
  for (const ev of events) {
    a.process(ev);
    b.process(ev);
  }
  return { events: events.length, problems, interpreted, compiled };
}

/** The append_output extras of Falco's default falco.yaml with these overrides (to load rules with). */
export function extrasFor(overrides: readonly string[] = []) {
  return extraOutputsOf(loadEngineConfig({ overrides: [...FULL_JSON_OVERRIDES, ...overrides] }).config.appendOutput);
}
