// `falcoc build`: rules files → plan → generated evaluator → bundle + manifest. Loading and
// checking are lint's (same diagnostics); the build stops on errors and writes nothing.
import { lint, type LintReport } from './lint.ts';
import { buildPlan } from './plan/build-plan.ts';
import type { Plan } from './plan/plan.ts';
import { writeBundle, type BundleOutput } from './emit/bundle.ts';

export interface BuildOptions {
  outdir: string;
  name?: string;
  signKey?: string;
  maxFileBytes?: number;
  /** Event codes the runtime's state keeping needs delivered (for the manifest's kernel set). */
  stateCodes?: ReadonlySet<number>;
}

export interface BuildResult {
  report: LintReport;
  plan?: Plan;
  output?: BundleOutput;
  /** Milliseconds per phase. */
  timings: { load: number; plan: number; emit: number };
}

export async function buildRules(paths: readonly string[], opts: BuildOptions): Promise<BuildResult> {
  const t0 = performance.now();
  const report = lint(paths, opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {});
  const t1 = performance.now();
  const ruleset = report.result.ruleset;
  if (!ruleset || report.errors > 0) return { report, timings: { load: t1 - t0, plan: 0, emit: 0 } };
  const plan = buildPlan(ruleset, opts.stateCodes ? { stateCodes: opts.stateCodes } : {});
  const t2 = performance.now();
  const output = await writeBundle({
    plan,
    sources: [...report.sources].map(([name, text]) => ({ name, text })),
    outdir: opts.outdir,
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.signKey ? { signKey: opts.signKey } : {}),
  });
  return { report, plan, output, timings: { load: t1 - t0, plan: t2 - t1, emit: performance.now() - t2 } };
}
