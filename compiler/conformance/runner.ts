// The conformance runner: reads case files (shared/conformance schema) from a folder and runs
// each case through the compiler. Files are dispatched by name (conditions*, operators*,
// evttypes*, rule-loader*, rule-selection*, literals*), so users can add their own folders.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CaseResult } from './outcome.ts';
import { runConditionCase } from './conditions.ts';
import { runOperatorCase } from './operators.ts';
import { runEvttypeCase } from './evttypes.ts';
import { runLoaderCase } from './rule-loader.ts';
import { runSelectionCase, runLiteralCase } from './selection-literals.ts';

export interface FileReport {
  file: string;
  results: CaseResult[];
  passed: number;
  failed: number;
  skipped: number;
  /** Distinct skip reasons (printed once per file). */
  skipReasons: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Runner = (c: any) => CaseResult;
const RUNNERS: [prefix: string, run: Runner][] = [
  ['conditions', runConditionCase],
  ['operators', runOperatorCase],
  ['evttypes', runEvttypeCase],
  ['rule-loader', runLoaderCase],
  ['rule-selection', runSelectionCase],
  ['literals', runLiteralCase],
];

export function runnerFor(fileName: string): Runner | undefined {
  return RUNNERS.find(([p]) => fileName.startsWith(p))?.[1];
}

export function runCaseFile(fileName: string, text: string, filter?: (id: string) => boolean): FileReport {
  const run = runnerFor(fileName);
  const report: FileReport = { file: fileName, results: [], passed: 0, failed: 0, skipped: 0, skipReasons: [] };
  if (!run) return report;
  const cases = parse(text, { maxAliasCount: -1 }) as { id: string }[] | null;
  for (const c of cases ?? []) {
    if (filter && !filter(c.id)) continue;
    const r = run(c);
    report.results.push(r);
    if (r.outcome.status === 'pass') report.passed++;
    else if (r.outcome.status === 'fail') report.failed++;
    else {
      report.skipped++;
      if (!report.skipReasons.includes(r.outcome.reason)) report.skipReasons.push(r.outcome.reason);
    }
  }
  return report;
}

/** Case files of a folder, in name order. */
export function caseFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && runnerFor(f)).sort();
}

export function runConformance(dir: string, onFile?: (r: FileReport) => void): FileReport[] {
  return caseFiles(dir).map((f) => {
    const r = runCaseFile(f, readFileSync(join(dir, f), 'utf8'));
    onFile?.(r);
    return r;
  });
}

export function fileLine(r: FileReport): string {
  return `${r.file}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
}

export function totalLine(reports: readonly FileReport[]): string {
  const sum = (k: 'passed' | 'failed' | 'skipped') => reports.reduce((n, r) => n + r[k], 0);
  return `conformance: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`;
}
