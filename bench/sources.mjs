#!/usr/bin/env node
// Plugin sources benchmark: events/s of `falcoc replay --source X` for each source, with that
// source's upstream rule file (json: a rule on json.value), in one run. Inputs are the sample
// events of ../shared/plugin-sources and test/fixtures/plugin-events, repeated to --events
// events per source and written as JSON lines (CloudTrail: log files of 100 records) in a temp
// folder; alerts are formatted and discarded. Best of --runs; read, parse, extract, evaluate,
// format all included. Each source runs interpreted (-r) and compiled (a bundle `falcoc build`
// made of the same rule files), in the same run.
// Usage: npm run bench:sources [-- --events N] [--runs N]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleForNode, root } from '../compiler/cli/bundle.mjs';
import { numberArg, sharedDirOf } from './common.mjs';

const N = numberArg('--events', 20_000);
const runs = numberArg('--runs', 3);
const shared = sharedDirOf(root);
const dir = mkdtempSync(join(tmpdir(), 'falcoc-bench-sources-'));
await bundleForNode({ contents: "export { sourceReplaySession } from './runtime/engine/source-replay.ts';" }, join(dir, 'lib.mjs'));
const lib = await import(pathToFileURL(join(dir, 'lib.mjs')).href);

/** Every JSON document under `path` (files: whole JSON, or JSON lines). */
function docs(path) {
  if (statSync(path).isDirectory()) return readdirSync(path).sort().flatMap((n) => docs(join(path, n)));
  if (path.endsWith('.gz')) return [];
  const text = readFileSync(path, 'utf8');
  try {
    return [JSON.parse(text)];
  } catch {
    return text.split('\n').filter((l) => l.trim()).flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
  }
}

const events = (src) => [join(shared, 'plugin-sources/events', src), join(root, 'test/fixtures/plugin-events', src)];
const samples = {
  k8s_audit: events('k8s_audit').flatMap(docs).flatMap((d) => (d.kind === 'EventList' ? d.items : [d])),
  aws_cloudtrail: events('aws_cloudtrail').flatMap(docs).flatMap((d) => d.Records ?? [d]),
  okta: events('okta').flatMap(docs),
  github: events('github').flatMap(docs),
  json: docs(join(shared, 'plugin-sources/events/json/mixed.json')),
};
const rules = {
  k8s_audit: join(shared, 'upstream/rules/k8s_audit_rules.yaml'),
  aws_cloudtrail: join(shared, 'upstream/rules/aws_cloudtrail_rules.yaml'),
  okta: join(shared, 'upstream/rules/okta_rules.yaml'),
  github: join(shared, 'upstream/rules/github_rules.yaml'),
  json: join(dir, 'json_rules.yaml'),
};
writeFileSync(rules.json, '- rule: Checkout slow\n  desc: bench\n  condition: json.value[/service] = checkout and json.value[/tags/1] = eu\n  output: slow %json.value[/service]\n  priority: NOTICE\n  source: json\n');

const bundleDir = join(dir, 'bundle');
execFileSync(process.execPath, [join(root, 'generated/cli/falcoc.mjs'), 'build', ...Object.values(rules), '--outdir', bundleDir], { stdio: 'pipe' });

console.log(`bench/sources: ${N} events per source, best of ${runs}; node ${process.version}`);
console.log('source           events   alerts   interpreted/s   compiled/s   compiled ÷ interpreted');
for (const [source, sample] of Object.entries(samples)) {
  const input = join(dir, source);
  mkdirSync(input);
  if (source === 'aws_cloudtrail') {
    for (let f = 0; f * 100 < N; f++) {
      const records = Array.from({ length: Math.min(100, N - f * 100) }, (_, i) => ({ ...sample[(f * 100 + i) % sample.length], eventID: `bench-${f}-${i}` }));
      writeFileSync(join(input, `part${String(f).padStart(5, '0')}.json`), JSON.stringify({ Records: records }));
    }
  } else {
    writeFileSync(join(input, 'events.jsonl'), Array.from({ length: N }, (_, i) => JSON.stringify(sample[i % sample.length]) + '\n').join(''));
  }
  const measure = async (engine) => {
    let best = 0;
    let alerts = 0;
    for (let r = 0; r < runs; r++) {
      const res = await lib.sourceReplaySession({ source, inputs: [input], ...engine, write: () => {}, log: () => {}, overrides: ['syslog_output.enabled=false'] });
      alerts = res.summary.alerts;
      best = Math.max(best, res.summary.events / res.summary.elapsedS);
    }
    return { best, alerts };
  };
  const interpreted = await measure({ rules: [rules[source]] });
  const compiled = await measure({ bundle: bundleDir });
  if (compiled.alerts !== interpreted.alerts) throw new Error(`${source}: ${compiled.alerts} alerts compiled, ${interpreted.alerts} interpreted`);
  const f = (n) => Math.round(n).toLocaleString('en-US').padStart(13);
  console.log(`${source.padEnd(14)} ${String(N).padStart(8)} ${String(interpreted.alerts).padStart(8)} ${f(interpreted.best)} ${f(compiled.best)}   ${(compiled.best / interpreted.best).toFixed(2)}×`);
}
