// Reading rules files from paths (the only file-system access of the compiler's front end):
// a directory contributes its *.yaml/*.yml files in name order, several paths keep their order.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Context, type Diagnostic } from './diagnostics.ts';
import type { RulesSource } from './load/source-file.ts';

export interface ReadOutcome {
  sources: RulesSource[];
  /** Paths that could not be read (LOAD_ERR_FILE_READ), in path order. */
  failures: Diagnostic[];
}

/**
 * Files bigger than this are refused with a clear error instead of taking minutes and gigabytes
 * (upstream's three syscall rule files total 300 KB). Raise it with `maxFileBytes`.
 */
export const MAX_RULES_FILE_BYTES = 16 * 1024 * 1024;

function readFailure(path: string, why: string): Diagnostic {
  return Context.file(path).diagnostic('error', 'LOAD_ERR_FILE_READ', `Could not read rules file ${path}: ${why}`);
}

export function expandRulesPaths(paths: readonly string[]): { files: string[]; failures: Diagnostic[] } {
  const files: string[] = [];
  const failures: Diagnostic[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      failures.push(readFailure(p, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message));
      continue;
    }
    if (st.isDirectory()) {
      const entries = readdirSync(p).filter((f) => /\.ya?ml$/.test(f)).sort();
      for (const f of entries) files.push(join(p, f));
    } else files.push(p);
  }
  return { files, failures };
}

export function readRulesPaths(paths: readonly string[], maxFileBytes = MAX_RULES_FILE_BYTES): ReadOutcome {
  const { files, failures } = expandRulesPaths(paths);
  const sources: RulesSource[] = [];
  for (const f of files) {
    try {
      const size = statSync(f).size;
      if (size > maxFileBytes) {
        failures.push(readFailure(f, `the file is ${size} bytes, more than the limit of ${maxFileBytes} (raise it with --max-file-size)`));
        continue;
      }
      const buf = readFileSync(f);
      if (buf.includes(0)) {
        failures.push(readFailure(f, `binary content (NUL byte at offset ${buf.indexOf(0)}); rules files are YAML text`));
        continue;
      }
      sources.push({ name: f, text: buf.toString('utf8') });
    } catch (e) {
      failures.push(readFailure(f, (e as Error).message));
    }
  }
  return { sources, failures };
}
