// http_output against real HTTP servers on loopback: one that answers, one that fails then
// recovers, one that never answers. Detection (alert()) never waits for any of them.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpOutput, HTTP_DEFAULTS, type HttpOutputOptions } from '../../../runtime/outputs/http-output.ts';
import { replaySession } from '../../../runtime/engine/replay-session.ts';
import { sharedDir, upstreamSyscallFiles } from '../../paths.ts';
import { selfSignedCert } from '../../tls-certs.ts';
import { loadEngineConfig } from '../../../runtime/config/engine-config.ts';

interface Received { body: string; headers: IncomingMessage['headers'] }

const servers: (Server | import('node:https').Server)[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections?.(), s.close();
});

/** A server whose handler decides each answer (undefined: never answer). */
async function serve(answer: (n: number) => number | undefined): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('latin1');
      const status = answer(n++);
      if (status === undefined) return; // hang
      if (status === 200) got.push({ body, headers: req.headers });
      res.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/falco`, got };
}

const options = (url: string, o: Partial<HttpOutputOptions> = {}): HttpOutputOptions => ({
  ...HTTP_DEFAULTS, url, json: true, userAgent: 'falcosecurity/falco', insecure: false, keepAlive: true, compressUploads: false, ...o,
});

describe('http_output', () => {
  it('posts every alert of a replay, in order, as Falco formats it, with its content type and user agent', async () => {
    const { url, got } = await serve(() => 200);
    let stdout = '';
    process.env.FALCO_HOSTNAME = 'vm';
    const r = await replaySession({
      capture: join(sharedDir, 'oracle', 'mixed.scap.gz'), rules: upstreamSyscallFiles, write: (s) => void (stdout += s), log: () => {},
      overrides: ['json_output=true', 'http_output.enabled=true', `http_output.url=${url}`, 'http_output.keep_alive=true'],
    });
    expect(r.exitCode).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(131);
    expect(got.map((g) => g.body)).toEqual(lines);
    expect(got[0]!.headers['content-type']).toBe('application/json');
    expect(got[0]!.headers['user-agent']).toBe('falcosecurity/falco');
  }, 60_000);

  it('retries a failing endpoint with backoff and delivers once it recovers; gzip when asked', async () => {
    const { url, got } = await serve((n) => (n < 2 ? 500 : 200));
    const out = new HttpOutput(options(url, { compressUploads: true, backoffMs: 20 }), () => {});
    out.alert('{"rule":"a"}\n');
    out.alert('{"rule":"b"}\n');
    await out.close();
    expect(got.map((g) => g.body)).toEqual(['{"rule":"a"}', '{"rule":"b"}']);
    expect(got[0]!.headers['content-encoding']).toBe('gzip');
    expect(out.stats).toEqual({ sent: 2, failed: 0, dropped: 0 });
  });

  it('counts an alert as failed after its attempts, says why once, and goes on', async () => {
    const { url, got } = await serve((n) => (n < 3 ? 500 : 200));
    const logs: string[] = [];
    const out = new HttpOutput(options(url, { backoffMs: 5 }), (l) => logs.push(l));
    out.alert('first\n');
    out.alert('second\n');
    await out.close();
    expect(out.stats).toEqual({ sent: 1, failed: 1, dropped: 0 });
    expect(got.map((g) => g.body)).toEqual(['second']);
    expect(logs).toEqual([expect.stringMatching(/http_output: .*HTTP 500 \(after 3 attempts/)]);
  });

  it('never blocks detection on a hanging endpoint: a bounded queue, drops counted, what is left reported at shutdown', async () => {
    const { url } = await serve(() => undefined);
    const logs: string[] = [];
    const out = new HttpOutput(options(url, { capacity: 1000, timeoutMs: 60_000 }), (l) => logs.push(l));
    // A synchronous loop: alert() hands over and returns; nothing in it can wait on the endpoint.
    for (let i = 0; i < 100_000; i++) out.alert(`{"n":${i}}\n`);
    expect(out.depth).toBe(1000);
    expect(out.stats.dropped).toBe(99_000);
    await out.close(200);
    expect(out.stats.failed).toBe(1000);
    expect(logs.some((l) => /1000 alerts not delivered/.test(l))).toBe(true);
    expect(logs.some((l) => /queue full \(1000 alerts\)/.test(l))).toBe(true);
  });
});

describe('http_output over TLS', () => {
  /** An HTTPS server with `tls` options that records what was posted. */
  async function serveTls(tls: ServerOptions): Promise<{ url: string; got: string[] }> {
    const got: string[] = [];
    const server = createHttpsServer(tls, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('latin1')));
      req.on('end', () => {
        got.push(body);
        res.writeHead(200).end(`{"ok":${got.length}}`);
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/falco`, got };
  }

  it('mtls: presents the client certificate the server requires; without it the post fails and is counted', async () => {
    const server = selfSignedCert('server');
    const client = selfSignedCert('client');
    const { url, got } = await serveTls({ key: readFileSync(server.key), cert: readFileSync(server.cert), ca: readFileSync(client.cert), requestCert: true, rejectUnauthorized: true });
    const echoed: string[] = [];
    const withCert = new HttpOutput(options(url, { caFiles: [server.cert], clientCert: client.cert, clientKey: client.key, echo: true }), () => {}, (t) => echoed.push(t));
    withCert.alert('{"n":1}\n');
    withCert.alert('{"n":2}\n');
    await withCert.close();
    expect(got).toEqual(['{"n":1}', '{"n":2}']);
    expect(withCert.stats).toEqual({ sent: 2, failed: 0, dropped: 0 });
    expect(echoed).toEqual(['{"ok":1}\n', '{"ok":2}\n']);

    const logs: string[] = [];
    const noCert = new HttpOutput(options(url, { caFiles: [server.cert], attempts: 1 }), (l) => logs.push(l));
    noCert.alert('{"n":3}\n');
    await noCert.close();
    expect(got).toHaveLength(2);
    expect(noCert.stats).toEqual({ sent: 0, failed: 1, dropped: 0 });
    expect(logs.join('\n')).toMatch(/http_output: https:\/\/127\.0\.0\.1:\d+\/falco: .*(certificate|handshake|alert|socket hang up|ECONNRESET)/i);
  }, 30_000);

  it('trusts a CA from ca_path, refuses an unknown server certificate unless insecure, and names a missing file', async () => {
    const server = selfSignedCert('server');
    const { url, got } = await serveTls({ key: readFileSync(server.key), cert: readFileSync(server.cert) });
    const logs: string[] = [];
    const untrusted = new HttpOutput(options(url, { attempts: 1 }), (l) => logs.push(l));
    untrusted.alert('a\n');
    await untrusted.close();
    expect(untrusted.stats.failed).toBe(1);
    expect(logs.join('\n')).toMatch(/self.signed|certificate/i);

    const byPath = new HttpOutput(options(url, { caPath: dirname(server.cert) }), () => {});
    byPath.alert('b\n');
    const insecure = new HttpOutput(options(url, { insecure: true }), () => {});
    insecure.alert('c\n');
    await Promise.all([byPath.close(), insecure.close()]);
    expect(got.sort()).toEqual(['b', 'c']);
    expect(() => new HttpOutput(options(url, { clientCert: '/nonexistent/client.crt', clientKey: server.key }), () => {})).toThrow(
      /http_output: cannot read the client certificate \(http_output\.client_cert\) \/nonexistent\/client\.crt/,
    );
    expect(() => loadEngineConfig({ overrides: ['http_output.enabled=true', `http_output.url=${url}`, 'http_output.mtls=true', 'http_output.client_key='] })).toThrow(
      /http_output\.mtls needs http_output\.client_cert and http_output\.client_key/,
    );
  }, 30_000);
});
