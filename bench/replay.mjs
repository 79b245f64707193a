#!/usr/bin/env node
// Replay benchmark, in one process and one run so the ratios compare like with like:
//   decode            read the capture and point an event view at every event;
//   decode+state      … and run every event through the system state (threads, fds);
//   decode+state+extract … and call, on every event, the extractor of every field the
//                     conditions of the upstream rules read (what compiled evaluators call; an
//                     upper bound, as each rule only runs on its own event types);
//   decode+state+eval … and evaluate the three upstream syscall rule files with the reference
//                     interpreter, rendering alerts (the whole of `falcoc replay` minus printing).
// Input: ../shared/oracle/mixed.scap.gz (the largest real capture at hand), and with
// `--synthetic N` also a synthetic capture of N events written first to a temp file.
// Real Falco 0.44.1 replays mixed.scap.gz with the same rules at ~270k events/s on this machine
// kind (oracle README; not measurable here), printed for scale.
// Usage: npm run bench:replay [-- --runs N] [--synthetic N]
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleForNode, root } from '../compiler/cli/bundle.mjs';
import { numberArg, sharedDirOf, upstreamRulesOf } from './common.mjs';

const arg = numberArg;
const runs = arg('--runs', 5);
const synthetic = arg('--synthetic', 0);
const shared = sharedDirOf(root);
const mixed = join(shared, 'oracle/mixed.scap.gz');
const rules = upstreamRulesOf(shared);
for (const f of [mixed, ...rules]) {
  if (!existsSync(f)) {
    console.error(`bench/replay: missing ${f}; set FALCOC_SHARED to the folder holding oracle/ and upstream/`);
    process.exit(2);
  }
}

const out = mkdtempSync(join(tmpdir(), 'falcoc-bench-'));
await bundleForNode(
  {
    contents: [
      "export { readCapture } from './runtime/capture/capture-reader.ts';",
      "export { generateCapture } from './runtime/capture/synthetic-capture.ts';",
      "export { EventView } from './runtime/events/event-view.ts';",
      "export { SystemState } from './runtime/state/system-state.ts';",
      "export { EventParser } from './runtime/state/event-parser.ts';",
      "export { replayCapture, seedingHandlers } from './runtime/engine/replay.ts';",
      "export { SyscallRuleEngine } from './runtime/engine/rule-engine.ts';",
      "export { extraOutputsOf } from './runtime/engine/append-output.ts';",
      "export { loadEngineConfig } from './runtime/config/engine-config.ts';",
      "export { SyscallFieldSource, compileExtractor } from './runtime/extract/registry.ts';",
      "export { lint } from './compiler/lint.ts';",
    ].join('\n'),
  },
  join(out, 'lib.mjs'),
);
const lib = await import(pathToFileURL(join(out, 'lib.mjs')).href);

const { config } = lib.loadEngineConfig();
const extras = lib.extraOutputsOf(config.appendOutput);
const report = lib.lint(rules, { extraOutputs: extras.extraOutputs, extraOutputFields: extras.extraOutputFields });
if (!report.result.ruleset) throw new Error('upstream rules did not load');
const engine = new lib.SyscallRuleEngine(report.result.ruleset, { minPriority: config.priority, ruleMatching: config.ruleMatching });

/** Every distinct field reference in the conditions of the enabled syscall rules. */
function conditionFields(rules) {
  const seen = new Map();
  const operand = (o) => {
    if (!o) return;
    if (o.kind === 'field') {
      const key = o.arg === undefined ? o.field.name : `${o.field.name}[${o.arg}]`;
      if (!seen.has(key)) seen.set(key, o);
    } else if (o.kind === 'transformer') {
      for (const a of o.args) (a.kind === 'arglist' ? a.items : [a]).forEach(operand);
    }
  };
  const expr = (e) => {
    if (e.kind === 'and' || e.kind === 'or') e.children.forEach(expr);
    else if (e.kind === 'not') expr(e.child);
    else {
      operand(e.left);
      operand(e.rhs);
    }
  };
  for (const r of rules) if (r.source === 'syscall') expr(r.typed);
  return [...seen.values()];
}
const extractFields = conditionFields(report.result.ruleset.rules.filter((r) => r.enabled));

async function decodeOnly(file) {
  const view = new lib.EventView();
  let n = 0;
  let sum = 0;
  await lib.readCapture(file, {
    event(s) {
      view.reset(s.data, s.offset, s.length, s.littleEndian);
      sum += view.type;
      n++;
    },
  });
  return sum >= 0 ? n : 0;
}

async function decodeState(file) {
  const state = new lib.SystemState();
  const parser = new lib.EventParser(state);
  const view = new lib.EventView();
  let n = 0;
  await lib.readCapture(file, {
    ...lib.seedingHandlers(state),
    event(s) {
      view.reset(s.data, s.offset, s.length, s.littleEndian);
      if (parser.process(view)) n++;
    },
  });
  return n;
}

const extractors = extractFields.map((f) => lib.compileExtractor(f, 'filter'));
let extractCalls = 0;
async function decodeStateExtract(file) {
  const state = new lib.SystemState();
  const parser = new lib.EventParser(state);
  const view = new lib.EventView();
  const ctx = { state, view };
  let n = 0;
  let defined = 0;
  await lib.readCapture(file, {
    ...lib.seedingHandlers(state),
    event(s) {
      view.reset(s.data, s.offset, s.length, s.littleEndian);
      if (!parser.process(view)) return;
      n++;
      for (let i = 0; i < extractors.length; i++) if (extractors[i](ctx) !== undefined) defined++;
    },
  });
  extractCalls = n * extractors.length;
  return defined >= 0 ? n : 0;
}

let alerts = 0;
async function full(file) {
  const r = await lib.replayCapture(file, {
    engine,
    hostname: 'bench',
    fieldSource: (state, view) => new lib.SyscallFieldSource({ state, view }),
    onAlert: () => {},
  });
  alerts = r.alerts;
  return r.events;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
};

async function measure(label, fn, file) {
  await fn(file); // warm-up
  const rates = [];
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    events = await fn(file);
    rates.push(events / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  const st = stats(rates);
  const k = (x) => `${(x / 1000).toFixed(0)}k`.padStart(7);
  console.log(`${label.padEnd(22)} ${String(events).padStart(9)} events  events/s min ${k(st.min)}  median ${k(st.median)}  max ${k(st.max)}`);
  return st.median;
}

async function suite(name, file) {
  console.log(`\n${name}`);
  const d = await measure('decode', decodeOnly, file);
  const s = await measure('decode+state', decodeState, file);
  const x = await measure('decode+state+extract', decodeStateExtract, file);
  const f = await measure('decode+state+eval', full, file);
  const perCall = (1e9 / x - 1e9 / s) / extractors.length;
  console.log(`extract: ${extractors.length} condition fields on every event (${extractCalls} calls per run), ~${perCall.toFixed(1)} ns per call`);
  console.log(`state costs ${(d / s).toFixed(2)}x decode; rules (interpreter) cost ${(s / f).toFixed(2)}x state; ${alerts} alerts per replay`);
  return f;
}

console.log(`falcoc replay benchmark: ${runs} runs each, node ${process.version}, ${engine.rules.length} enabled upstream rules`);
const mixedRate = await suite(`mixed.scap.gz (oracle capture, 420,606 events)`, mixed);
console.log(`reference: Falco 0.44.1 replays this capture at ~270k events/s (oracle README) -> falcoc interpreter at ${(mixedRate / 270000).toFixed(2)}x of that`);
console.log('(all modes share this process and its JIT feedback; npm run bench:evaluate runs each engine in its own process, as on a host)');
if (synthetic > 0) {
  const file = join(out, 'synthetic.scap');
  const g = await lib.generateCapture(file, { events: synthetic, threads: 256, seed: 1 });
  await suite(`synthetic capture (${g.events} events, ${(g.bytes / 1e6).toFixed(0)} MB)`, file);
}
