// grpc_output against real gRPC clients generated from the .proto files (proto-loader + grpc-js),
// over a unix socket and over TCP with mutual TLS, fed the alerts of the oracle capture's replay.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertingEngine } from '../../../runtime/engine/session-setup.ts';
import { replayCapture } from '../../../runtime/engine/replay.ts';
import { SyscallFieldSource } from '../../../runtime/extract/registry.ts';
import { alertJson, alertLine, type Alert } from '../../../runtime/format/alert.ts';
import { settingsOf } from '../../../runtime/engine/replay-session.ts';
import { ConfigError } from '../../../runtime/config/engine-config.ts';
import { grpcConfigOf, type GrpcConfig } from '../../../runtime/outputs/grpc-config.ts';
import { openGrpcOutput, type GrpcOutput } from '../../../runtime/outputs/grpc-output.ts';
import type { OutputsResponse } from '../../../runtime/outputs/grpc/definitions.ts';
import { repoRoot, sharedDir, upstreamSyscallFiles } from '../../paths.ts';

const protoDir = join(repoRoot, 'runtime/outputs/grpc');
const dir = mkdtempSync(join(tmpdir(), 'falcoc-grpc-'));

// The client side, as a Falco client would generate it from the published .proto files.
const defs = loadSync([join(protoDir, 'outputs.proto'), join(protoDir, 'version.proto')], {
  includeDirs: [protoDir], keepCase: true, longs: String, enums: Number, defaults: true,
});
const api = grpc.loadPackageDefinition(defs) as unknown as {
  falco: { outputs: { service: grpc.ServiceClientConstructor }; version: { service: grpc.ServiceClientConstructor } };
};

/** What the client reads: the server's message, 64-bit seconds as a string (longs: String). */
type Response = Omit<OutputsResponse, 'time'> & { time: { seconds: string; nanos: number } };

type Fed = { text: string; alert: Alert; json: string };
let fed: Fed[] = [];

beforeAll(async () => {
  process.env.FALCO_HOSTNAME = 'vm';
  const capture = join(sharedDir, 'oracle', 'mixed.scap.gz');
  const built = await alertingEngine({ capture, rules: upstreamSyscallFiles, log: () => {} });
  const settings = settingsOf(built!.config);
  await replayCapture(capture, {
    engine: built!.engine,
    hostname: 'vm',
    fieldSource: (state, view) => new SyscallFieldSource({ state, view }),
    onAlert: (a) => void fed.push({ text: alertLine(a, settings) + '\n', alert: a, json: alertJson(a, settings) }),
  });
}, 60_000);

const unixConfig = (name: string, capacity = 10_000): GrpcConfig => ({
  bindAddress: `unix://${join(dir, name)}`, listen: { kind: 'unix', path: join(dir, name) }, threadiness: 0, capacity, timeField: 'evt.time',
});

type OutputsClient = grpc.Client & {
  sub(): grpc.ClientDuplexStream<object, Response>;
  get(req: object): grpc.ClientReadableStream<Response>;
};

function outputsClient(address: string, creds = grpc.credentials.createInsecure()): OutputsClient {
  // The test certificate names localhost (Node will not send an IP address as TLS server name).
  return new api.falco.outputs.service(address, creds, { 'grpc.ssl_target_name_override': 'localhost' }) as unknown as OutputsClient;
}

/** A `sub` stream as client-go opens it (one empty request), and what arrives on it. */
async function subscribe(out: GrpcOutput, address: string, creds?: grpc.ChannelCredentials) {
  const client = outputsClient(address, creds);
  const before = out.subscriberCount;
  const call = client.sub();
  const got: Response[] = [];
  call.on('data', (r: Response) => got.push(r));
  const ended = new Promise<void>((resolve) => call.on('end', resolve)).catch(() => {});
  call.on('error', () => {});
  call.write({});
  await until(() => out.subscriberCount > before);
  return { client, call, got, ended };
}

function get(client: OutputsClient): Promise<Response[]> {
  return new Promise((resolve, reject) => {
    const got: Response[] = [];
    const call = client.get({});
    call.on('data', (r: Response) => got.push(r));
    call.on('end', () => resolve(got));
    call.on('error', reject);
  });
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const feed = (out: GrpcOutput, items: Fed[]) => items.forEach((f) => out.alert(f.text, f.alert));

const PRIORITY: Record<string, number> = { Emergency: 0, Alert: 1, Critical: 2, Error: 3, Warning: 4, Notice: 5, Informational: 6, Debug: 7 };

/** What a response must hold, from the JSON alert of the same event. */
function expectedFromJson(j: Record<string, unknown>): Response {
  const [, secs, frac] = /^(.{19})\.(\d{9})Z$/.exec(String(j.time))!;
  const seconds = String(Date.parse(`${secs}Z`) / 1000);
  const fields = Object.fromEntries(Object.entries(j.output_fields as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
  // evt.time is beyond a double's precision once parsed: the exact value is the alert's time.
  fields['evt.time'] = `${seconds}${frac}`;
  return {
    time: { seconds, nanos: Number(frac) },
    priority: PRIORITY[String(j.priority)]!,
    source_deprecated: 0, // syscall
    rule: String(j.rule),
    output: String(j.output),
    output_fields: fields,
    hostname: String(j.hostname),
    tags: j.tags as string[],
    source: String(j.source),
  };
}

describe('grpc_output', () => {
  const opened: GrpcOutput[] = [];
  const clients: grpc.Client[] = [];
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await Promise.all(opened.map((o) => o.close()));
  });
  const open = async (c: GrpcConfig) => {
    const out = await openGrpcOutput(c, () => {});
    opened.push(out);
    return out;
  };

  it('streams every alert to a `sub` client over a unix socket, with the fields of the JSON alert', async () => {
    expect(fed).toHaveLength(131);
    // The JSON alerts are the oracle's (Falco 0.44.1) byte for byte, so this is what Falco sends.
    const oracle = readFileSync(join(sharedDir, 'oracle', 'mixed.falco-alerts.jsonl'), 'utf8').trim().split('\n');
    expect(fed.map((f) => f.json)).toEqual(oracle);
    const out = await open(unixConfig('sub.sock'));
    expect(out.address).toBe(`unix:${join(dir, 'sub.sock')}`);
    const s = await subscribe(out, out.address);
    clients.push(s.client);
    feed(out, fed);
    await until(() => s.got.length === fed.length);
    expect(s.got).toEqual(oracle.map((l) => expectedFromJson(JSON.parse(l))));
    // The text line is what stdout prints, and the time prefix's field is the raw timestamp.
    expect(s.got[0]!.output).toBe(fed[0]!.text.trimEnd());
    expect(s.got[0]!.output_fields['evt.time']).toBe(String(fed[0]!.alert.time));
    expect(s.got[0]!.output_fields['k8s.ns.name']).toBe('null');
    expect(out.stats).toMatchObject({ sent: 131, failed: 0 });
  }, 30_000);

  it('gives every subscriber every alert, and ends their streams on close', async () => {
    const out = await open(unixConfig('two.sock'));
    const a = await subscribe(out, out.address);
    const b = await subscribe(out, out.address);
    clients.push(a.client, b.client);
    feed(out, fed.slice(0, 50));
    await until(() => a.got.length === 50 && b.got.length === 50);
    expect(a.got.map((r) => r.rule)).toEqual(fed.slice(0, 50).map((f) => f.alert.rule));
    expect(b.got).toEqual(a.got);
    // A subscriber only gets what comes after it subscribed.
    const late = await subscribe(out, out.address);
    clients.push(late.client);
    feed(out, fed.slice(50, 60));
    await until(() => late.got.length === 10 && a.got.length === 60);
    expect(late.got.map((r) => r.output)).toEqual(fed.slice(50, 60).map((f) => f.text.trimEnd()));
    await out.close();
    await Promise.all([a.ended, b.ended, late.ended]);
    expect(existsSync(join(dir, 'two.sock'))).toBe(false);
  }, 30_000);

  it('answers `get` with the alerts kept since the previous `get`, then ends the stream', async () => {
    const out = await open(unixConfig('get.sock'));
    const client = outputsClient(out.address);
    clients.push(client);
    expect(await get(client)).toEqual([]);
    feed(out, fed.slice(0, 40));
    expect(out.depth).toBe(40);
    const first = await get(client);
    expect(out.depth).toBe(0);
    expect(first.map((r) => r.output)).toEqual(fed.slice(0, 40).map((f) => f.text.trimEnd()));
    feed(out, fed.slice(40, 45));
    expect((await get(client)).map((r) => r.rule)).toEqual(fed.slice(40, 45).map((f) => f.alert.rule));
    expect(await get(client)).toEqual([]);
    expect(out.stats).toEqual({ sent: 45, failed: 0, dropped: 0 });
  }, 30_000);

  it('keeps only the newest alerts for `get`, and bounds what a subscriber may have waiting', async () => {
    const out = await open(unixConfig('bound.sock', 5));
    const client = outputsClient(out.address);
    clients.push(client);
    feed(out, fed.slice(0, 8));
    expect((await get(client)).map((r) => r.output)).toEqual(fed.slice(3, 8).map((f) => f.text.trimEnd()));
    // Before any `get`, what the ring let go was history, not a loss; after one, it is.
    expect(out.stats.dropped).toBe(0);
    feed(out, fed.slice(0, 8));
    expect(out.stats.dropped).toBe(3);
    // All at once: the stream cannot have taken them yet, so past 5 waiting they are dropped.
    const s = await subscribe(out, out.address);
    clients.push(s.client);
    feed(out, fed.slice(0, 100));
    await until(() => out.stats.sent === 5 + s.got.length && s.got.length >= 5);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.got.length).toBeLessThan(100);
    expect(out.stats.dropped).toBe(3 + 100 /* ring, full already */ + (100 - s.got.length));
  }, 30_000);

  it('answers the version service with falcoc\'s version in Falco\'s fields', async () => {
    const out = await open(unixConfig('version.sock'));
    type VersionClient = grpc.Client & { version(req: object, done: (e: Error | null, r: Record<string, unknown>) => void): void };
    const client = new api.falco.version.service(out.address, grpc.credentials.createInsecure()) as unknown as VersionClient;
    clients.push(client);
    const v = await new Promise<Record<string, unknown>>((resolve, reject) => client.version({}, (e, r) => (e ? reject(e) : resolve(r))));
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const [major, minor, patch] = pkg.version.split('.').map(Number);
    expect(v).toEqual({ version: pkg.version, major, minor, patch, prerelease: '', build: '', engine_version: 63, engine_fields_checksum: '' });
  });

  it('serves TCP only with mutual TLS: a client certificate the CA signed is required', async () => {
    const certs = makeCerts(join(dir, 'pki'));
    const config = grpcConfigOf({
      grpc: { enabled: true, bind_address: '127.0.0.1:0', private_key: certs.serverKey, cert_chain: certs.serverCert, root_certs: certs.ca },
      grpc_output: { enabled: true },
    })!;
    const out = await open(config);
    expect(out.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const withCert = grpc.credentials.createSsl(readFileSync(certs.ca), readFileSync(certs.clientKey), readFileSync(certs.clientCert));
    const s = await subscribe(out, out.address, withCert);
    clients.push(s.client);
    feed(out, fed.slice(0, 3));
    await until(() => s.got.length === 3);
    expect(s.got.map((r) => r.rule)).toEqual(fed.slice(0, 3).map((f) => f.alert.rule));
    // Trusting the server is not enough: without a certificate, or with one from another CA, no RPC gets through.
    const refused = async (creds: grpc.ChannelCredentials) => {
      const c = outputsClient(out.address, creds);
      clients.push(c);
      return get(c).then(() => 'served', (e: grpc.ServiceError) => e.code);
    };
    expect(await refused(grpc.credentials.createSsl(readFileSync(certs.ca)))).toBe(grpc.status.UNAVAILABLE);
    expect(await refused(grpc.credentials.createSsl(readFileSync(certs.ca), readFileSync(certs.otherKey), readFileSync(certs.otherCert)))).toBe(grpc.status.UNAVAILABLE);
    expect(await refused(grpc.credentials.createInsecure())).toBe(grpc.status.UNAVAILABLE);
  }, 30_000);

  it('replaces a stale socket file, and refuses to listen where it cannot, saying where and what to do', async () => {
    // A socket file nobody serves (left by a process that died): removed, then bound.
    const stale = join(dir, 'stale.sock');
    const dead = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.exit(0))`]);
    expect(dead.status).toBe(0);
    expect(existsSync(stale)).toBe(true);
    const out = await open(unixConfig('stale.sock'));
    // Served by a live server: not taken over.
    await expect(openGrpcOutput(unixConfig('stale.sock'), () => {})).rejects.toThrow(/cannot listen on 'unix:\/\/.*stale\.sock': another process is serving that socket .*grpc\.bind_address/);
    await out.close();
    writeFileSync(join(dir, 'file.sock'), 'not a socket');
    await expect(openGrpcOutput(unixConfig('file.sock'), () => {})).rejects.toThrow(/'.*file\.sock' exists and is not a socket/);
    // The directory is created, as Falco does.
    const nested = await open(unixConfig('a/b/nested.sock'));
    expect(existsSync(join(dir, 'a/b/nested.sock'))).toBe(true);
    await nested.close();
    const tcp = await open(grpcConfigOf({ grpc: { enabled: true, bind_address: '127.0.0.1:0', private_key: 'k', cert_chain: 'c', root_certs: 'r' }, grpc_output: { enabled: true } })!).catch((e: Error) => e);
    expect(String(tcp)).toMatch(/cannot read grpc\.private_key 'k' \(needed for mutual TLS on '127\.0\.0\.1:0'\)/);
    const certs = makeCerts(join(dir, 'pki2'));
    const busy = { grpc: { enabled: true, bind_address: '', private_key: certs.serverKey, cert_chain: certs.serverCert, root_certs: certs.ca }, grpc_output: { enabled: true } };
    const first = await open(grpcConfigOf({ ...busy, grpc: { ...busy.grpc, bind_address: '127.0.0.1:0' } })!);
    const taken = grpcConfigOf({ ...busy, grpc: { ...busy.grpc, bind_address: first.address } })!;
    await expect(openGrpcOutput(taken, () => {})).rejects.toThrow(new RegExp(`cannot listen on '${first.address}': .*grpc\\.bind_address`));
  }, 30_000);

  it('reads grpc and grpc_output from falco.yaml, refusing what Falco would not serve', () => {
    expect(grpcConfigOf({})).toBeUndefined();
    expect(grpcConfigOf({ grpc: { enabled: true, bind_address: 'unix:///run/falco/falco.sock' } })).toBeUndefined(); // grpc_output off
    expect(grpcConfigOf({ grpc: { enabled: false }, grpc_output: { enabled: true } })).toBeUndefined();
    expect(grpcConfigOf({ grpc: { enabled: 'true', bind_address: 'unix:///run/falco/falco.sock', threadiness: 0 }, grpc_output: { enabled: true } })).toEqual({
      bindAddress: 'unix:///run/falco/falco.sock', listen: { kind: 'unix', path: '/run/falco/falco.sock' }, threadiness: 0, capacity: 10_000, timeField: 'evt.time',
    });
    const tls = { private_key: '/k', cert_chain: '/c', root_certs: '/r' };
    expect(grpcConfigOf({ grpc: { enabled: true, bind_address: '0.0.0.0:5060', ...tls }, grpc_output: { enabled: true }, outputs_queue: { capacity: 7 }, time_format_iso_8601: true })).toEqual({
      bindAddress: '0.0.0.0:5060', listen: { kind: 'tcp', host: '0.0.0.0', port: 5060, tls: { privateKey: '/k', certChain: '/c', rootCerts: '/r' } },
      threadiness: 0, capacity: 7, timeField: 'evt.time.iso8601',
    });
    const on = (grpc: Record<string, unknown>) => () => grpcConfigOf({ grpc: { enabled: true, ...grpc }, grpc_output: { enabled: true } });
    expect(on({ bind_address: '0.0.0.0:5060' })).toThrow(ConfigError);
    expect(on({ bind_address: '0.0.0.0:5060' })).toThrow(/grpc\.private_key must name a PEM file: a TCP grpc\.bind_address \('0\.0\.0\.0:5060'\) requires mutual TLS/);
    expect(on({ bind_address: '0.0.0.0:5060', private_key: '/k', cert_chain: '/c' })).toThrow(/grpc\.root_certs must name a PEM file/);
    expect(on({ bind_address: 'falco.sock' })).toThrow(/grpc\.bind_address must be 'unix:\/\/\/path\/to\.sock' or 'host:port'/);
    expect(on({ bind_address: '0.0.0.0:99999', ...tls })).toThrow(/grpc\.bind_address must be/);
    expect(on({ bind_address: 'unix://' })).toThrow(/names no socket file/);
    expect(on({})).toThrow(/grpc\.bind_address must be/);
    expect(on({ bind_address: 'unix:///x.sock', threadiness: -1 })).toThrow(/grpc\.threadiness must be a whole number/);
    expect(() => grpcConfigOf({ grpc: { enabled: 'yes' }, grpc_output: { enabled: true } })).toThrow(/'grpc\.enabled' must be true or false/);
    expect(() => grpcConfigOf({ grpc: 'on' })).toThrow(/'grpc' must be a map/);
  });

  it('works from the esbuild bundle, which carries the .proto files inline', async () => {
    const entry = join(dir, 'bundled.mjs');
    // Built the way `npm run build:cli` builds the CLI (compiler/cli/bundle.mjs's bundleForNode).
    const build = `import { bundleForNode } from './compiler/cli/bundle.mjs'; await bundleForNode({ contents: process.env.ENTRY }, process.env.OUT);`;
    execFileSync(process.execPath, ['--input-type=module', '-e', build], { cwd: repoRoot, env: { ...process.env, OUT: entry, ENTRY: `
      import { openGrpcOutput } from './runtime/outputs/grpc-output.ts';
      const path = process.argv[2];
      const out = await openGrpcOutput({ bindAddress: 'unix://' + path, listen: { kind: 'unix', path }, threadiness: 0, capacity: 10, timeField: 'evt.time' }, console.error);
      out.alert('12:00:00.000000000: Critical hello\\n', { rule: 'R', priority: 'Critical', source: 'k8s_audit', tags: ['t'], time: 1700000000123456789n, message: 'hello', outputFields: { 'a.b': 1 }, hostname: 'h' });
      console.log('ready');
      process.on('SIGTERM', () => out.close().then(() => process.exit(0)));
    ` } });
    expect(readFileSync(entry, 'utf8')).toContain('source_deprecated'); // the protos, inline
    const sock = join(dir, 'bundled.sock');
    const child = spawn(process.execPath, [entry, sock], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => String(d).includes('ready') && resolve());
        child.on('exit', (code) => reject(new Error(`bundle exited with ${code}`)));
      });
      const client = outputsClient(`unix:${sock}`);
      clients.push(client);
      expect(await get(client)).toEqual([{
        time: { seconds: '1700000000', nanos: 123456789 }, priority: 2, source_deprecated: 1, rule: 'R', output: '12:00:00.000000000: Critical hello',
        output_fields: { 'a.b': '1', 'evt.time': '1700000000123456789' }, hostname: 'h', tags: ['t'], source: 'k8s_audit',
      }]);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate it signs; and a client
 * certificate from another CA. */
function makeCerts(at: string) {
  spawnSync('mkdir', ['-p', at]);
  const f = (n: string) => join(at, n);
  const run = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: at });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-subj', '/CN=falcoc test CA', '-days', '1');
  run('req', '-x509', ...ec, '-keyout', f('other-ca.key'), '-out', f('other-ca.crt'), '-subj', '/CN=other CA', '-days', '1');
  const signed = (name: string, ca: string, ext: string) => {
    run('req', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`);
    writeFileSync(f(`${name}.ext`), ext);
    run('x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${ca}.crt`), '-CAkey', f(`${ca}.key`), '-CAcreateserial', '-out', f(`${name}.crt`), '-days', '1', '-extfile', f(`${name}.ext`));
  };
  signed('server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signed('client', 'ca', 'extendedKeyUsage=clientAuth\n');
  signed('other', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  return {
    ca: f('ca.crt'), serverKey: f('server.key'), serverCert: f('server.crt'), clientKey: f('client.key'), clientCert: f('client.crt'),
    otherKey: f('other.key'), otherCert: f('other.crt'),
  };
}
