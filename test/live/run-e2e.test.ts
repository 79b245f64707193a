// End to end, as root on this kernel: `falcoc run` with the upstream syscall rules while real
// actions happen, and `falcoc capture` of the same actions replayed with `falcoc replay`: the
// expected upstream rules fire with the right fields, live and replayed alike, a quiet period
// raises nothing, and SIGINT stops both cleanly (exit 0). Skipped, saying why, without root,
// BTF or the built driver. Capture is machine-wide: `npm test` runs test/live on its own, after
// the other tests and one file at a time (npm run test:live), so nothing else runs meanwhile.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliPath, repoRoot, upstreamRulesDir } from '../paths.ts';
import { liveCaptureProblems } from '../../runtime/live/native-driver.ts';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { freePort } from '../free-port.ts';

const addon = resolve(repoRoot, 'native/build/Release/falcoc_native.node');
const problems = [...liveCaptureProblems(), ...(existsSync(addon) ? [] : ['the addon is not built (npm run build:native)'])];
if (problems.length) console.warn(`SKIPPING the live end-to-end tests: ${problems.join('; ')}`);

const RULES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => join(upstreamRulesDir, f));
const dir = mkdtempSync(join(tmpdir(), 'falcoc-e2e-'));
const shmBin = `/dev/shm/falcoc-e2e-${process.pid}`;
const exeBin = join(dir, 'exe');
const etcFile = `/etc/falcoc-e2e-${process.pid}`;
const merged = join(dir, 'overlay');
afterAll(() => {
  spawnSync('umount', [merged]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(shmBin, { force: true });
  rmSync(etcFile, { force: true });
});

interface Alert {
  rule: string;
  output_fields: Record<string, unknown>;
}

/** Starts a falcoc command; resolves once it says it has started (or has exited). */
function startFalcoc(args: string[]): Promise<{ child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let errText = '';
  child.stdout!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolveStart) => {
    const ready = () => resolveStart({ child, stdout: () => out, stderr: () => errText, exit });
    child.stderr!.on('data', (d) => {
      errText += d;
      if (/started|threads and/.test(errText) || args[0] === 'capture') ready();
    });
    void exit.then(ready);
  });
}

const protoDir = join(repoRoot, 'runtime/outputs/grpc');
const grpcApi = grpc.loadPackageDefinition(loadSync([join(protoDir, 'outputs.proto')], { includeDirs: [protoDir], keepCase: true })) as unknown as {
  falco: { outputs: { service: grpc.ServiceClientConstructor } };
};

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

const parse = (text: string): Alert[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Alert);

/** The actions, each expected to raise one upstream rule. */
function act(): void {
  spawnSync('sh', ['-c', 'cat /etc/shadow > /dev/null']);
  // Relative to a cwd changed after the /proc scan: chdir keeps the state's cwd right.
  spawnSync('sh', ['-c', 'cd /etc && cat ./shadow > /dev/null']);
  spawnSync('ln', ['-s', '/etc/shadow', join(dir, 'shadow-link')]);
  spawnSync('python3', ['-c', `open(${JSON.stringify(etcFile)}, 'w').write('x')`]);
  rmSync(etcFile, { force: true });
  copyFileSync('/bin/true', shmBin);
  spawnSync('chmod', ['+x', shmBin]);
  spawnSync('sh', ['-c', shmBin]);
  spawnSync('python3', ['-c', "import os; fd = os.memfd_create('falcoc-e2e'); os.write(fd, open('/bin/true', 'rb').read()); os.execv(f'/proc/self/fd/{fd}', ['falcoc-e2e'])"]);
  spawnSync('python3', ['-c', 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW).close()']);
  // PTRACE_ATTACH to a child (sleep), through libc's ptrace from python3's ctypes.
  spawnSync('python3', ['-c', [
    'import ctypes, os, signal, subprocess, time',
    "libc = ctypes.CDLL(None, use_errno=True)",
    "p = subprocess.Popen(['sleep', '5'])",
    'time.sleep(0.05)',
    'libc.ptrace(16, p.pid, None, None)',
    'os.waitpid(p.pid, 0)',
    'libc.ptrace(17, p.pid, None, None)',
    'p.kill()',
  ].join('\n')]);
  // A shell on a terminal (script(1) gives it a pty as its controlling tty) whose parent is
  // named like a container runtime's entrypoint ("exe", as runc re-executes itself).
  copyFileSync('/usr/bin/script', exeBin);
  spawnSync('chmod', ['+x', exeBin]);
  spawnSync(exeBin, ['-qc', 'bash -c "exit 0"', '/dev/null'], { env: { ...process.env, SHELL: '/bin/bash' } });
  // A binary dropped into a container's writable layer (an overlay's upper dir), then run.
  for (const d of ['lower', 'upper', 'work', 'overlay']) mkdirSync(join(dir, d), { recursive: true });
  spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${join(dir, 'lower')},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, merged]);
  copyFileSync('/bin/true', join(merged, 'dropped'));
  spawnSync('chmod', ['+x', join(merged, 'dropped')]);
  spawnSync(join(merged, 'dropped'));
}

function expectTheActions(alerts: Alert[]): void {
  const byRule = (r: string) => alerts.filter((a) => a.rule === r);
  const shadow = byRule('Read sensitive file untrusted').filter((a) => a.output_fields['fd.name'] === '/etc/shadow');
  expect([...new Set(shadow.map((a) => a.output_fields['proc.cmdline']))].sort()).toEqual(['cat ./shadow', 'cat /etc/shadow']);
  expect(shadow[0]?.output_fields).toMatchObject({ 'proc.name': 'cat', 'proc.pname': 'sh', 'user.name': 'root', 'evt.type': 'openat' });
  const link = byRule('Create Symlink Over Sensitive Files').find((a) => a.output_fields['evt.arg.linkpath'] === join(dir, 'shadow-link'));
  expect(link?.output_fields).toMatchObject({ 'evt.arg.target': '/etc/shadow', 'proc.name': 'ln', 'evt.type': 'symlinkat' });
  const shm = byRule('Execution from /dev/shm').find((a) => a.output_fields['proc.exepath'] === shmBin);
  expect(shm?.output_fields).toMatchObject({ 'proc.pname': 'sh', 'user.name': 'root' });
  const terminal = byRule('Terminal shell in container').find((a) => a.output_fields['proc.pname'] === 'exe');
  expect(terminal?.output_fields).toMatchObject({ 'proc.name': 'bash', 'user.name': 'root' });
  expect(terminal!.output_fields['proc.tty']).not.toBe(0);
  const etc = byRule('Write below etc').find((a) => a.output_fields['fd.name'] === etcFile);
  expect(etc?.output_fields).toMatchObject({ 'proc.name': 'python3', 'user.name': 'root' });
  const attach = byRule('PTRACE attached to process').find((a) => a.output_fields['proc.name'] === 'python3');
  expect(attach?.output_fields).toMatchObject({ 'evt.type': 'ptrace', 'user.name': 'root' });
  const packet = byRule('Packet socket created in container').find((a) => a.output_fields['proc.name'] === 'python3');
  expect(packet?.output_fields).toMatchObject({ 'evt.type': 'socket', 'user.name': 'root' });
  // python3 replaces itself with the memfd's program: its comm is the fd's number.
  const memfd = byRule('Fileless execution via memfd_create').find((a) => a.output_fields['proc.exepath'] === '/memfd:falcoc-e2e');
  expect(memfd?.output_fields).toMatchObject({ 'evt.type': 'execve', 'evt.arg.flags': 'EXE_WRITABLE|EXE_FROM_MEMFD', 'user.name': 'root' });
  const dropped = byRule('Drop and execute new binary in container').find((a) => a.output_fields['proc.exepath'] === join(merged, 'dropped'));
  expect(dropped?.output_fields).toMatchObject({ 'evt.type': 'execve', 'evt.arg.flags': 'EXE_WRITABLE|EXE_UPPER_LAYER', 'user.name': 'root', 'proc.name': 'dropped' });
}

describe.skipIf(problems.length > 0)('falcoc run and falcoc capture, live', () => {
  it('raise the expected upstream rules with the right fields, live and from the capture alike', async () => {
    const capFile = join(dir, 'live.scap');
    const alertsFile = join(dir, 'alerts.jsonl');
    const port = await freePort();
    const run = await startFalcoc(['run', '-r', ...RULES, '--json', '--stats-interval', '0', '-o', 'file_output.enabled=true', '-o', `file_output.filename=${alertsFile}`,
      '-o', 'webserver.listen_address=127.0.0.1', '-o', `webserver.listen_port=${port}`, '-o', 'webserver.prometheus_metrics_enabled=true', '-o', 'metrics.enabled=true',
      '-o', 'grpc.enabled=true', '-o', 'grpc_output.enabled=true', '-o', `grpc.bind_address=unix://${join(dir, 'grpc', 'falco.sock')}`]);
    const cap = await startFalcoc(['capture', '-w', capFile]);
    await settle(1500);
    // A Falco gRPC client subscribed to the outputs service, as falco-exporter is.
    const client = new grpcApi.falco.outputs.service(`unix://${join(dir, 'grpc', 'falco.sock')}`, grpc.credentials.createInsecure()) as unknown as {
      sub(): grpc.ClientDuplexStream<object, { rule: string; output: string }>;
      close(): void;
    };
    const viaGrpc: { rule: string; output: string }[] = [];
    const sub = client.sub();
    sub.on('data', (r: { rule: string; output: string }) => viaGrpc.push(r)).on('error', () => {});
    sub.write({});
    await settle(300);
    act();
    await settle(1000);
    // The webserver: health, and the live counters in Prometheus' text format.
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text()).toBe('{"status": "ok"}');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    run.child.kill('SIGINT');
    cap.child.kill('SIGINT');
    client.close();
    expect(await run.exit).toBe(0);
    expect(await cap.exit).toBe(0);
    expect(run.stderr()).toMatch(/drops 0/);
    expect(cap.stderr()).toMatch(/drops 0/);
    const live = parse(run.stdout());
    expectTheActions(live);
    // file_output got the same alerts as stdout, and the end summary counts them.
    expect(readFileSync(alertsFile, 'utf8')).toBe(run.stdout());
    expect(run.stderr()).toMatch(new RegExp(`file output: ${live.length} sent, 0 failed`));
    const sample = (name: string, labels: string) => Number(new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    const shadowReads = live.filter((a) => a.rule === 'Read sensitive file untrusted').length;
    expect(sample('falcosecurity_falco_rules_matches_total', 'rule_name="Read sensitive file untrusted"')).toBeGreaterThanOrEqual(2);
    expect(sample('falcosecurity_falco_rules_matches_total', 'rule_name="Read sensitive file untrusted"')).toBeLessThanOrEqual(shadowReads);
    expect(sample('falcosecurity_falcoc_output_alerts_sent_total', 'output="file"')).toBeGreaterThan(0);
    expect(Number(/^falcosecurity_scap_n_evts_total(?:\{[^}]*\})? (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(1000);

    const replay = spawnSync(process.execPath, [cliPath, 'replay', capFile, '-r', ...RULES, '--json'], { encoding: 'utf8' });
    expect(replay.status).toBe(0);
    const replayed = parse(replay.stdout);
    expectTheActions(replayed);
    // What the actions raised live, the replay raised too, with the same process and file fields.
    const key = (a: Alert) => [a.rule, a.output_fields['proc.name'], a.output_fields['proc.cmdline'], a.output_fields['fd.name'], a.output_fields['evt.arg.linkpath']].join(' | ');
    // The actions' alerts (another falcoc's /proc scan raises alerts of its own, live only).
    const ours = (a: Alert) =>
      a.output_fields['fd.name'] === '/etc/shadow' || a.output_fields['fd.name'] === etcFile || a.output_fields['evt.arg.target'] === '/etc/shadow' ||
      [shmBin, '/memfd:falcoc-e2e', join(merged, 'dropped')].includes(a.output_fields['proc.exepath'] as string) || (a.rule === 'Terminal shell in container' && a.output_fields['proc.pname'] === 'exe') ||
      a.rule === 'Packet socket created in container' || a.rule === 'PTRACE attached to process';
    expect(new Set(replayed.filter(ours).map(key))).toEqual(new Set(live.filter(ours).map(key)));
    // The gRPC subscriber got the actions' alerts, each as stdout printed it.
    const printed = new Set(run.stdout().split('\n'));
    expect(viaGrpc.filter((r) => !printed.has(r.output))).toEqual([]);
    const grpcOutputs = new Set(viaGrpc.map((r) => r.output));
    const actionLines = run.stdout().split('\n').filter((l) => l && ours(JSON.parse(l) as Alert));
    expect(actionLines.length).toBeGreaterThan(8);
    expect(actionLines.filter((l) => !grpcOutputs.has(l))).toEqual([]);
  }, 60_000);

  it('raises nothing in a quiet period and stops cleanly at SIGTERM', async () => {
    const alertsFile = join(dir, 'alerts.jsonl');
    const run = await startFalcoc(['run', '-r', ...RULES, '--json', '--stats-interval', '0', '-o', 'file_output.enabled=true', '-o', `file_output.filename=${alertsFile}`]);
    await settle(1500);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(parse(run.stdout())).toEqual([]);
    expect(run.stderr()).toMatch(/falcoc run: [\d,]+ events in [\d.]+ s, 0 alerts, drops 0/);
  }, 30_000);

  it('loses nothing at SIGTERM during a burst of 100,000 alerts: every healthy output gets them all, the unreachable one reports them', async () => {
    const target = join(dir, 'burst-target');
    writeFileSync(target, 'x');
    const rules = join(dir, 'burst.yaml');
    writeFileSync(rules, `- rule: Burst open\n  desc: every open of the burst file\n  condition: evt.type = openat and fd.name = ${target}\n  output: burst open (file=%fd.name proc=%proc.name fd=%fd.num)\n  priority: WARNING\n`);
    const [fileOut, programOut] = [join(dir, 'burst-file.txt'), join(dir, 'burst-program.txt')];
    // A healthy HTTP endpoint (slower than the burst: its queue is deep at SIGTERM), and a
    // syslog collector nobody listens for.
    let posted = 0;
    const http = createHttpServer((req, res) => req.resume().on('end', () => (posted++, res.writeHead(200).end())));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const deadPort = await freePort();
    const run = await startFalcoc(['run', '-r', rules, '--stats-interval', '0', '-o', 'webserver.enabled=false', '-o', 'outputs_queue.capacity=200000',
      '-o', 'file_output.enabled=true', '-o', `file_output.filename=${fileOut}`, '-o', 'file_output.keep_alive=true',
      '-o', 'program_output.enabled=true', '-o', `program_output.program=cat > ${programOut}`, '-o', 'program_output.keep_alive=true',
      '-o', 'http_output.enabled=true', '-o', `http_output.url=http://127.0.0.1:${(http.address() as AddressInfo).port}/`, '-o', 'http_output.keep_alive=true',
      '-o', `syslog_output.remote=tcp://127.0.0.1:${deadPort}`,
      '-o', 'grpc.enabled=true', '-o', 'grpc_output.enabled=true', '-o', `grpc.bind_address=unix://${join(dir, 'burst.sock')}`]);
    await settle(1000);
    let viaGrpc = 0;
    const client = new grpcApi.falco.outputs.service(`unix://${join(dir, 'burst.sock')}`, grpc.credentials.createInsecure()) as unknown as {
      sub(): grpc.ClientDuplexStream<object, unknown>;
      close(): void;
    };
    const sub = client.sub();
    const subEnded = new Promise((r) => sub.on('data', () => viaGrpc++).on('end', r).on('error', r));
    sub.write({});
    await settle(300);
    const burst = spawn('python3', ['-c', `import os\nfor i in range(100000): os.close(os.open(${JSON.stringify(target)}, os.O_RDONLY))`]);
    const burstDone = new Promise((r) => burst.on('exit', r));
    // SIGTERM while the alerts flow (the first ones printed, the burst still going).
    for (let i = 0; i < 200 && !run.stdout(); i++) await settle(25);
    await settle(100);
    run.child.kill('SIGTERM');
    await burstDone;
    expect(await run.exit).toBe(0);
    await subEnded;
    client.close();
    http.close();
    const alerts = run.stdout().split('\n').filter(Boolean);
    const m = /falcoc run: [\d,]+ events in [\d.]+ s, ([\d,]+) alerts/.exec(run.stderr());
    const raised = Number(m![1]!.replace(/,/g, ''));
    expect(raised).toBeGreaterThan(10_000);
    expect(alerts).toHaveLength(raised);
    expect(alerts.every((a) => a.includes(`burst open (file=${target} proc=python3`))).toBe(true);
    expect(readFileSync(fileOut, 'latin1')).toBe(run.stdout());
    expect(readFileSync(programOut, 'latin1')).toBe(run.stdout());
    expect(posted).toBe(raised);
    const summary = run.stderr();
    expect(viaGrpc).toBe(raised);
    for (const o of ['stdout', 'file', 'program', 'grpc']) expect(summary).toMatch(new RegExp(`${o} output: ${raised} sent, 0 failed`));
    expect(summary).toMatch(new RegExp(`http output: ${raised} sent, 0 failed, 0 dropped`));
    expect(summary).toMatch(new RegExp(`syslog output: 0 sent, ${raised} failed, 0 dropped`));
    expect(summary).toMatch(new RegExp(`syslog_output: ${raised} alerts not delivered to tcp://127\\.0\\.0\\.1:${deadPort} at shutdown`));
  }, 120_000);

  it('takes syscalls and the k8s audit webhook at once, each alert tagged with its source', async () => {
    const port = await freePort();
    const web = await freePort();
    const rules = [RULES[0]!, join(upstreamRulesDir, 'k8s_audit_rules.yaml')];
    const run = await startFalcoc(['run', '-r', ...rules, '--json', '--stats-interval', '0', '-o', 'load_plugins=[k8saudit, json]',
      '-o', 'webserver.listen_address=127.0.0.1', '-o', `webserver.listen_port=${web}`, '-o', 'webserver.prometheus_metrics_enabled=true', '-o', 'metrics.enabled=true',
      '-o', `plugins=[{name: k8saudit, open_params: "http://127.0.0.1:${port}/k8s-audit"}, {name: json}]`]);
    await settle(1500);
    const exec = readFileSync(join(repoRoot, 'test/fixtures/plugin-events/k8s_audit/attacks.jsonl'), 'utf8').split('\n')[0]!;
    const posted = await fetch(`http://127.0.0.1:${port}/k8s-audit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: exec });
    expect(posted.status).toBe(200);
    spawnSync('sh', ['-c', 'cat /etc/shadow > /dev/null']);
    await settle(1000);
    const metrics = await (await fetch(`http://127.0.0.1:${web}/metrics`)).text();
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    expect(metrics).toMatch(/^falcosecurity_falco_rules_matches_total\{[^}]*rule_name="Attach\/Exec Pod"[^}]*source="k8s_audit"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^falcosecurity_falcoc_events_processed_total\{source="k8s_audit"\} 1$/m);
    const alerts = parse(run.stdout()) as (Alert & { source: string })[];
    expect(alerts.filter((a) => a.source === 'k8s_audit').map((a) => a.rule)).toEqual(['Attach/Exec Pod']);
    expect(alerts.some((a) => a.source === 'syscall' && a.rule === 'Read sensitive file untrusted' && a.output_fields['fd.name'] === '/etc/shadow')).toBe(true);
    expect(run.stderr()).toMatch(/k8s_audit: 1 events, 1 alerts, 1 requests/);
  }, 30_000);

  it('says what is missing, exit 1, when not run as root', () => {
    for (const args of [['run', '-r', RULES[0]!], ['capture', '-w', join(dir, 'x.scap')]]) {
      const r = spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', process.execPath, cliPath, ...args], { encoding: 'utf8' });
      expect(r.status, args[0]).toBe(1);
      expect(r.stderr).toMatch(/live capture needs root \(run falcoc as root\)/);
    }
  });
});
