#!/usr/bin/env node
// Lint benchmark: the three upstream syscall rule files (falco_rules, incubating, sandbox).
//   cold: the bundled `falcoc lint` as a new process each run, against `node -e 0` (the floor
//         any Node CLI pays) measured in the same run;
//   warm: lintSources() in-process, repeated, against parsing the same YAML alone.
// Prints min/median/max and ratios. Usage: npm run bench:lint [-- --runs N]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleForNode, root } from '../compiler/cli/bundle.mjs';

const rulesDir = resolve(process.env.FALCOC_UPSTREAM_RULES ?? join(root, '../shared/upstream/rules'));
const files = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => join(rulesDir, f));
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

for (const f of files) {
  if (!existsSync(f)) {
    console.error(`bench/lint: missing ${f}; set FALCOC_UPSTREAM_RULES to the folder holding the upstream rule files`);
    process.exit(2);
  }
}
const cli = join(root, 'generated/cli/falcoc.mjs');
if (!existsSync(cli)) execFileSync(process.execPath, [join(root, 'compiler/cli/bundle.mjs')], { stdio: 'inherit' });

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const line = (label, st) => console.log(`${label.padEnd(34)} min ${fmt(st.min).padStart(10)}  median ${fmt(st.median).padStart(10)}  max ${fmt(st.max).padStart(10)}`);

function timeProcess(args) {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0 && args[0] === cli) {
      console.error(`falcoc lint failed (exit ${r.status}): ${r.stderr}`);
      process.exit(1);
    }
  }
  return stats(t);
}

console.log(`falcoc lint benchmark: ${files.length} upstream syscall rule files, ${runs} runs each, node ${process.version}\n`);
// Interleave nothing: the floor and the CLI are measured back to back in this run.
const floor = timeProcess(['-e', '0']);
const cold = timeProcess([cli, 'lint', ...files]);
line('node -e 0 (process floor)', floor);
line('falcoc lint (cold process)', cold);
console.log(`cold lint / process floor: ${(cold.median / floor.median).toFixed(1)}x; target: median under 1000 ms -> ${cold.median < 1000 ? 'met' : 'NOT met'}\n`);

// Warm: bundle the library entry points once and call them in this process.
const out = mkdtempSync(join(tmpdir(), 'falcoc-bench-'));
await bundleForNode(
  { contents: "export { lintSources } from './compiler/lint.ts'; export { parseYamlDocuments } from './compiler/load/yaml-tree.ts';" },
  join(out, 'lib.mjs'),
);
const lib = await import(pathToFileURL(join(out, 'lib.mjs')).href);
const sources = files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') }));
const timeIt = (fn) => {
  for (let i = 0; i < 3; i++) fn();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return stats(t);
};
let rules = 0;
const warm = timeIt(() => {
  const r = lib.lintSources(sources);
  if (r.errors !== 0) throw new Error('lint reported errors');
  rules = r.result.ruleset.rules.length;
});
const yamlOnly = timeIt(() => sources.forEach((s) => lib.parseYamlDocuments(s.text)));
line('YAML parse only (warm)', yamlOnly);
line(`falcoc lint (warm, ${rules} rules)`, warm);
console.log(`warm lint / YAML parse: ${(warm.median / yamlOnly.median).toFixed(1)}x`);
