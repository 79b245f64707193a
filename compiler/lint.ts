// lint(): load rules files and report every diagnostic, as `falco --validate` would, plus
// falcoc's own located, underlined presentation (see report/).
import type { Diagnostic } from './diagnostics.ts';
import { loadRules, type FileResult, type LoadOptions, type LoadResult } from './compile.ts';
import { readRulesPaths } from './read-rules.ts';
import type { RulesSource } from './load/source-file.ts';

export interface LintOptions extends LoadOptions {
  /** Warnings fail the lint too. */
  strict?: boolean;
  /** Largest rules file read (bytes). */
  maxFileBytes?: number;
}

export interface LintReport {
  result: LoadResult;
  /** Texts of the files read, for showing the offending lines. */
  sources: ReadonlyMap<string, string>;
  /**
   * What a person should look at: every error, and the warnings of the final state. Falco
   * recompiles after each file, so an "unused macro" warning for file 1 may be resolved by
   * file 2; only those still true once everything is loaded are listed here (the per-file
   * results in `result` keep Falco's exact shape).
   */
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
  /** 0 clean, 1 errors (or warnings with `strict`). */
  exitCode: 0 | 1;
}

const TRANSIENT = new Set(['LOAD_UNUSED_MACRO', 'LOAD_UNUSED_LIST']);

function effectiveDiagnostics(files: readonly FileResult[], extra: readonly Diagnostic[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const last = files.length - 1;
  files.forEach((f, i) => {
    out.push(...f.errors);
    out.push(...f.warnings.filter((w) => i === last || !TRANSIENT.has(w.code)));
  });
  out.push(...extra);
  return out;
}

export function lintSources(sources: readonly RulesSource[], opts: LintOptions = {}, readFailures: readonly Diagnostic[] = []): LintReport {
  const result = loadRules(sources, opts);
  const failed: FileResult[] = readFailures.map((d) => ({
    name: d.file, successful: false, errors: [d], warnings: [], schemaValidation: 'none', schemaProblems: [],
  }));
  result.files.unshift(...failed);
  if (failed.length > 0) result.ok = false;
  const diagnostics = effectiveDiagnostics(result.files, result.pluginRequirementError ? [result.pluginRequirementError] : []);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return {
    result,
    sources: new Map(sources.map((s) => [s.name, s.text])),
    diagnostics,
    errors,
    warnings,
    exitCode: errors > 0 || (opts.strict && warnings > 0) ? 1 : 0,
  };
}

/** Lints rules files and directories (a directory: its *.yaml/*.yml files in name order). */
export function lint(paths: readonly string[], opts: LintOptions = {}): LintReport {
  const { sources, failures } = readRulesPaths(paths, opts.maxFileBytes);
  return lintSources(sources, opts, failures);
}
