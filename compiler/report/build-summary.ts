// The text `falcoc build` prints when it succeeds.
import { relative } from 'node:path';
import type { BuildResult } from '../build.ts';

export function buildSummary(r: BuildResult): string {
  const plan = r.plan!;
  const out = r.output!;
  const syscall = plan.rules.filter((x) => x.source === plan.source);
  const enabled = syscall.filter((x) => x.enabled).length;
  const others = plan.sources.map((s) => `${s.source} ${plan.rules.filter((x) => x.source === s.source).length}`);
  const ms = (n: number) => `${Math.round(n)} ms`;
  const rel = (p: string) => {
    const r = relative(process.cwd(), p);
    return r && !r.startsWith('..') ? r : p;
  };
  return [
    `rules: ${syscall.length} syscall rules (${enabled} enabled)${others.length ? `; plugin sources: ${others.join(', ')} (one evaluator each)` : ''}`,
    `event types: ${out.manifest.event_types.length} matched by rules, ${plan.kernelCodes.length} event codes for the kernel side; ${plan.groups.length} syscall evaluators`,
    `warnings: ${r.report.warnings}`,
    `bundle: ${rel(out.bundleFile)} (${(out.bundleBytes / 1024).toFixed(1)} KiB), manifest: ${rel(out.manifestFile)}${out.manifest.signature ? ' (signed)' : ''}`,
    `time: load+check ${ms(r.timings.load)}, plan ${ms(r.timings.plan)}, emit+bundle ${ms(r.timings.emit)}`,
  ].join('\n');
}
