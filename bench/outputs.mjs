#!/usr/bin/env node
// Outputs benchmark, in one process and one run:
//   1. alerts/s through each output, configured as falco.yaml does (openOutputs over
//      loadEngineConfig with -o overrides), each against a real peer on loopback: the alerts of
//      the oracle capture's replay, repeated, handed over in batches as `falcoc run` does, timed
//      until close() has delivered them (what the peer received is checked);
//   2. detection slowdown when http_output's endpoint hangs: the oracle capture replayed with a
//      rule alerting on every openat, alerts to stdout (discarded) alone, then also to a healthy
//      and to a hanging HTTP endpoint; events/s of the replay itself (shutdown excluded), best of
//      --runs, and the ratio to stdout alone (target: none beyond the queue bound).
// Usage: npm run bench:outputs [-- --alerts N] [--runs N]
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { bundleForNode, root } from '../compiler/cli/bundle.mjs';
import { numberArg, sharedDirOf, upstreamRulesOf } from './common.mjs';

const N = numberArg('--alerts', 100_000);
const runs = numberArg('--runs', 5);
const shared = sharedDirOf(root);
const capture = join(shared, 'oracle/mixed.scap.gz');
const dir = mkdtempSync(join(tmpdir(), 'falcoc-bench-outputs-'));

await bundleForNode(
  {
    contents: [
      "export { openOutputs } from './runtime/outputs/outputs.ts';",
      "export { loadEngineConfig } from './runtime/config/engine-config.ts';",
      "export { alertingEngine } from './runtime/engine/session-setup.ts';",
      "export { replayCapture } from './runtime/engine/replay.ts';",
      "export { settingsOf } from './runtime/engine/replay-session.ts';",
      "export { alertLine, alertJson } from './runtime/format/alert.ts';",
      "export { SyscallFieldSource } from './runtime/extract/registry.ts';",
    ].join('\n'),
  },
  join(dir, 'lib.mjs'),
);
const lib = await import(pathToFileURL(join(dir, 'lib.mjs')).href);
process.env.FALCO_HOSTNAME = 'bench';

/** A replay of the capture: alerts as (text, alert), and how long the replay took. */
async function replay(rules, overrides, onAlert) {
  const built = await lib.alertingEngine({ capture, rules, overrides, log: () => {} });
  const settings = lib.settingsOf(built.config);
  const t0 = performance.now();
  const summary = await lib.replayCapture(capture, {
    engine: built.engine,
    hostname: 'bench',
    fieldSource: (state, view) => new lib.SyscallFieldSource({ state, view }),
    onAlert: (a) => onAlert((settings.jsonOutput ? lib.alertJson(a, settings) : lib.alertLine(a, settings)) + '\n', a),
  });
  return { summary, seconds: (performance.now() - t0) / 1000, config: built.config };
}

const sample = [];
await replay(upstreamRulesOf(shared), ['json_output=true'], (text, a) => sample.push([text, a]));

/** Feeds `n` alerts to the outputs `overrides` enable (stdout off), in batches of 64 as a live
 * run hands them over; resolves with alerts/s once close() returned. */
async function throughput(overrides, n, afterOpen) {
  const { config } = lib.loadEngineConfig({ overrides: ['json_output=true', 'stdout_output.enabled=false', 'syslog_output.enabled=false', ...overrides] });
  const logs = [];
  const outputs = await lib.openOutputs(config.outputs, { write: () => {}, log: (l) => logs.push(l), json: true, hostname: 'bench' });
  await afterOpen?.();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const [text, a] = sample[i % sample.length];
    outputs.alert(text, a);
    if ((i & 63) === 63) {
      outputs.drain();
      // Let the event loop run between batches, as the driver's reads do.
      if ((i & 4095) === 4095) await new Promise((r) => setImmediate(r));
    }
  }
  outputs.drain();
  await outputs.close();
  const seconds = (performance.now() - t0) / 1000;
  return { perS: n / seconds, stats: Object.values(outputs.stats())[0], logs };
}

const listen = (server, ...args) => new Promise((r) => server.listen(...args, () => r(server.address().port)));

// Peers.
let posted = 0;
const http = createHttpServer((req, res) => req.resume().on('end', () => (posted++, res.writeHead(200).end())));
const httpPort = await listen(http, 0, '127.0.0.1');
const hang = createHttpServer(() => {});
const hangPort = await listen(hang, 0, '127.0.0.1');
/** A datagram listener in its own process (Python), counting what arrives: the local syslog
 * daemon's Unix socket, or a UDP collector. Resolves with its address and the count so far. */
async function datagramCounter(family, address) {
  const py = spawn('python3', ['-c', [
    'import socket, sys',
    `s = socket.socket(socket.${family}, socket.SOCK_DGRAM)`,
    's.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)',
    `s.bind(${family === 'AF_UNIX' ? 'sys.argv[1]' : "('127.0.0.1', 0)"})`,
    'print("ready", s.getsockname()[1] if isinstance(s.getsockname(), tuple) else 0, flush=True)',
    'n = 0',
    'while True:',
    '    s.recv(1 << 17); n += 1',
    '    if n % 100 == 0: print(n, flush=True)',
  ].join('\n'), address], { stdio: ['ignore', 'pipe', 'inherit'] });
  const counter = { got: 0, port: 0, kill: () => py.kill() };
  await new Promise((r) => py.stdout.on('data', (d) => {
    for (const l of String(d).split('\n')) {
      if (l.startsWith('ready')) (counter.port = Number(l.split(' ')[1])), r();
      else if (l) counter.got = Number(l);
    }
  }));
  return counter;
}
const udp = await datagramCounter('AF_INET', '');
let tcpBytes = 0;
const tcp = createTcpServer((s) => s.on('data', (d) => (tcpBytes += d.length)));
const tcpPort = await listen(tcp, 0, '127.0.0.1');
const logSock = join(dir, 'log');
const local = await datagramCounter('AF_UNIX', logSock);
// A gRPC subscriber generated from the .proto files, as Falco clients are.
const protoDir = join(root, 'runtime/outputs/grpc');
const api = grpc.loadPackageDefinition(loadSync([join(protoDir, 'outputs.proto')], { includeDirs: [protoDir], keepCase: true }));
const grpcSock = join(dir, 'falco.sock');

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const rows = [];
async function measure(name, overrides, n, received, afterOpen) {
  const r = await throughput(overrides, n, afterOpen);
  await wait(200);
  rows.push({ name, n, perS: r.perS, received: received?.(), stats: r.stats });
  process.stderr.write(`  ${name}: ${Math.round(r.perS).toLocaleString('en-US')} alerts/s\n`);
}

console.log(`bench/outputs: ${sample.length} distinct alerts of the oracle replay (JSON), repeated; node ${process.version}`);
await measure('stdout', ['stdout_output.enabled=true'], N);
await measure('file', ['file_output.enabled=true', `file_output.filename=${join(dir, 'a.txt')}`], N);
await measure('file keep_alive', ['file_output.enabled=true', `file_output.filename=${join(dir, 'b.txt')}`, 'file_output.keep_alive=true'], N);
await measure('program keep_alive', ['program_output.enabled=true', 'program_output.program=cat > /dev/null', 'program_output.keep_alive=true'], N);
await measure('program (a process per alert)', ['program_output.enabled=true', 'program_output.program=cat > /dev/null'], Math.min(N, 500));
await measure('http keep_alive', ['http_output.enabled=true', `http_output.url=http://127.0.0.1:${httpPort}/`, 'http_output.keep_alive=true', `outputs_queue.capacity=${N}`], Math.min(N, 30_000), () => posted);
await measure('syslog remote udp', [`syslog_output.remote=udp://127.0.0.1:${udp.port}`, 'syslog_output.enabled=true'], N, () => `${udp.got} (±100; UDP may lose)`);
await measure('syslog remote tcp', [`syslog_output.remote=tcp://127.0.0.1:${tcpPort}`, 'syslog_output.enabled=true', `outputs_queue.capacity=${N}`], N, () => `${(tcpBytes / 1e6).toFixed(1)} MB`);
await measure('syslog local (/dev/log)', ['syslog_output.enabled=true', `syslog_output.socket=${logSock}`, `outputs_queue.capacity=${N}`], N, () => `${local.got} (±100)`);
let grpcGot = 0;
let client;
await measure('grpc sub (1 subscriber)', ['grpc.enabled=true', 'grpc_output.enabled=true', `grpc.bind_address=unix://${grpcSock}`, `outputs_queue.capacity=${N}`], N, () => grpcGot, async () => {
  client = new api.falco.outputs.service(`unix://${grpcSock}`, grpc.credentials.createInsecure());
  const sub = client.sub();
  sub.on('data', () => grpcGot++).on('error', () => {});
  sub.write({});
  await wait(300);
});

console.log('\n1. alerts/s through each output (until close() returned: everything delivered)');
console.log('output                          alerts      alerts/s   received by the peer / stats');
for (const r of rows) {
  const s = r.stats ?? {};
  console.log(`${r.name.padEnd(31)} ${String(r.n).padStart(7)} ${Math.round(r.perS).toLocaleString('en-US').padStart(13)}   ${r.received ?? '-'}  (sent ${s.sent}, failed ${s.failed}${s.dropped !== undefined ? `, dropped ${s.dropped}` : ''})`);
}
client.close();

// 2. Detection with a hanging endpoint.
const every = join(dir, 'every-openat.yaml');
writeFileSync(every, '- rule: Every openat\n  desc: bench\n  condition: evt.type = openat\n  output: open (file=%fd.name proc=%proc.name cmd=%proc.cmdline)\n  priority: WARNING\n');
const modes = [
  ['stdout only', []],
  ['+ http healthy', ['http_output.enabled=true', `http_output.url=http://127.0.0.1:${httpPort}/`, 'http_output.keep_alive=true']],
  ['+ http hanging', ['http_output.enabled=true', `http_output.url=http://127.0.0.1:${hangPort}/`]],
];
const best = new Map();
let alertsPerReplay = 0;
for (let i = 0; i < runs; i++) {
  for (const [name, overrides] of modes) {
    const { config } = lib.loadEngineConfig({ overrides: ['syslog_output.enabled=false', ...overrides] });
    const outputs = await lib.openOutputs(config.outputs, { write: () => {}, log: () => {}, hostname: 'bench' });
    let n = 0;
    const r = await replay([...upstreamRulesOf(shared), every], overrides, (text, a) => {
      outputs.alert(text, a);
      if ((++n & 63) === 0) outputs.drain();
    });
    alertsPerReplay = r.summary.alerts;
    const eps = r.summary.events / r.seconds;
    best.set(name, Math.max(best.get(name) ?? 0, eps));
    // Shutdown is not detection: a hanging endpoint's queue is given up at once here.
    for (const s of outputs.sinks) if (s.name === 'http') await s.close(1);
    await outputs.close();
  }
}
console.log(`\n2. replay of ${capture.split('/').pop()} with the upstream rules + one alerting on every openat (${alertsPerReplay} alerts per replay), best of ${runs}`);
const base = best.get('stdout only');
for (const [name] of modes) {
  const eps = best.get(name);
  console.log(`${name.padEnd(18)} ${Math.round(eps).toLocaleString('en-US').padStart(10)} events/s   ${(base / eps).toFixed(3)}× the time of stdout only`);
}

http.close();
hang.closeAllConnections();
hang.close();
udp.kill();
tcp.close();
local.kill();
