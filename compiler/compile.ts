// The compiler front end, wired: load (YAML → items) → resolve (collect, lists, macros,
// exceptions) → check (fields, types, event types). Files are loaded one after another into one
// collection and the whole collection is compiled again after each file, as Falco does, so each
// file gets its own result.
import { Context, LoadError, type Diagnostic } from './diagnostics.ts';
import { SourceFile, type RulesSource } from './load/source-file.ts';
import { parseRulesFile, readRulesDocuments } from './load/reader.ts';
import { schemaProblems } from './load/schema.ts';
import type { PluginRequirement, Semver } from './load/items.ts';
import { Collector, semverCompare, semverString } from './resolve/collector.ts';
import { compileCollection, type ExtraOutput, type ExtraOutputField } from './resolve/compile-collection.ts';
import type { Ruleset } from './resolve/ruleset.ts';
import { parseSemver } from './load/reader.ts';
import { catalogFor, knownSources, BUILTIN_PLUGINS, type FieldCatalog } from '../runtime/fields/catalog.ts';
import { compileOperandText } from './check/operand-text.ts';
import { ENGINE_VERSION } from './version.ts';

export interface LoadOptions {
  /** Event sources rules may use; rules of other sources are skipped with a warning. Default: all falcoc implements. */
  sources?: readonly string[];
  /** Plugins considered loaded, for required_plugin_versions. Default: the ones falcoc implements. */
  plugins?: readonly { name: string; version: string }[];
  /** Engine version reported to required_engine_version. */
  engineVersion?: Semver;
  extraOutputs?: readonly ExtraOutput[];
  extraOutputFields?: readonly ExtraOutputField[];
  /** Stop at the first file with an error (Falco's behaviour). Default true. */
  stopAtFirstError?: boolean;
}

export interface FileResult {
  name: string;
  successful: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  schemaValidation: 'ok' | 'failed' | 'none';
  schemaProblems: string[];
}

export interface LoadResult {
  files: FileResult[];
  /** The ruleset of the last successful compile (when every file loaded). */
  ruleset?: Ruleset;
  /** required_plugin_versions not met by the loaded plugins (checked once all files loaded). */
  pluginRequirementError?: Diagnostic;
  ok: boolean;
}

const catalogCache = new Map<string, FieldCatalog | undefined>();
function cachedCatalog(source: string): FieldCatalog | undefined {
  if (!catalogCache.has(source)) catalogCache.set(source, catalogFor(source));
  return catalogCache.get(source);
}

export function loadRules(inputs: readonly RulesSource[], opts: LoadOptions = {}): LoadResult {
  const sources = new Set(opts.sources ?? knownSources());
  const operandCache = new Map<string, boolean>();
  const collector = new Collector({
    sources,
    engineVersion: opts.engineVersion ?? parseSemver(ENGINE_VERSION)!,
    isField(source, lhs) {
      const key = `${source}\0${lhs}`;
      let ok = operandCache.get(key);
      if (ok === undefined) {
        const cat = cachedCatalog(source);
        ok = cat !== undefined && typeof compileOperandText(lhs, cat) !== 'string';
        operandCache.set(key, ok);
      }
      return ok;
    },
  });
  const cfg = {
    catalogFor: (s: string) => (sources.has(s) ? cachedCatalog(s) : undefined),
    parseCache: new WeakMap(),
    ...(opts.extraOutputs ? { extraOutputs: opts.extraOutputs } : {}),
    ...(opts.extraOutputFields ? { extraOutputFields: opts.extraOutputFields } : {}),
  };
  const files: FileResult[] = [];
  let ruleset: Ruleset | undefined;
  for (const input of inputs) {
    const file = new SourceFile(input.name, input.text);
    const diags: Diagnostic[] = [];
    const result: FileResult = { name: input.name, successful: true, errors: [], warnings: [], schemaValidation: 'none', schemaProblems: [] };
    let loaded = true;
    try {
      const docs = parseRulesFile(file);
      result.schemaProblems = docs.filter((d) => d.kind !== 'null').flatMap(schemaProblems);
      result.schemaValidation = result.schemaProblems.length === 0 ? 'ok' : 'failed';
      readRulesDocuments(file, docs, {
        sink: (item) => collector.apply(item, (d) => diags.push(d)),
        warn: (d) => diags.push(d),
      });
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      diags.push(e.toDiagnostic());
      loaded = false;
    }
    if (loaded) {
      const outcome = compileCollection(collector, cfg);
      diags.push(...outcome.diagnostics);
      ruleset = outcome.ruleset;
    }
    result.errors = diags.filter((d) => d.severity === 'error');
    result.warnings = diags.filter((d) => d.severity === 'warning');
    result.successful = result.errors.length === 0;
    files.push(result);
    if (!result.successful && opts.stopAtFirstError !== false) break;
  }
  const loaded = files.length === inputs.length && files.every((f) => f.successful);
  const out: LoadResult = { files, ok: loaded };
  const unmet = checkPluginRequirements(collector.pluginRequirements, opts.plugins ?? BUILTIN_PLUGINS);
  if (unmet) {
    out.pluginRequirementError = unmet;
    out.ok = false;
  }
  if (loaded && ruleset) out.ruleset = ruleset;
  return out;
}

/** Checked after all files: each requirement needs one alternative loaded with a compatible version. */
export function checkPluginRequirements(
  requirements: readonly { alternatives: PluginRequirement[]; ctx: Context }[],
  plugins: readonly { name: string; version: string }[],
): Diagnostic | undefined {
  for (const req of requirements) {
    let satisfied = false;
    for (const alt of req.alternatives) {
      const loaded = plugins.find((p) => p.name === alt.name);
      if (!loaded) continue;
      const have = parseSemver(loaded.version);
      const want = parseSemver(alt.version)!;
      if (!have || have.major !== want.major || semverCompare(have, want) < 0) {
        return req.ctx.diagnostic('error', 'LOAD_ERR_VALIDATE',
          `Plugin '${alt.name}' version '${loaded.version}' is not compatible with required plugin version '${alt.version}'`);
      }
      satisfied = true;
      break;
    }
    if (!satisfied) {
      const wanted = req.alternatives.map((a) => `${a.name} (>= ${a.version})`).join(', ');
      return req.ctx.diagnostic('error', 'LOAD_ERR_VALIDATE', `Plugin requirement not satisfied, must load one of: ${wanted}`);
    }
  }
  return undefined;
}

export { semverString };
