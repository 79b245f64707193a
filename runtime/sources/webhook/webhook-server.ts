// An HTTP(S) endpoint that takes events as POSTed JSON (the k8saudit plugin's audit webhook,
// GitHub's webhooks): the URL as the plugins' open_params write it (`http://:9765/k8s-audit`,
// `https://0.0.0.0:9765/k8s-audit`), bodies bounded in size, JSON only, each request answered
// once its events are in detection's hands — a 2xx means nothing of it can be lost. Refusals
// get the status and reason the plugins give, and are counted by reason.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseJson, type JsonNode } from '../json-doc.ts';

export interface WebhookCounters {
  requests: number;
  events: number;
  /** Refused requests by reason (`wrong content type`, `too large`, `invalid JSON`, …). */
  refused: Record<string, number>;
}

/** What a handler makes of one well-formed JSON body. */
export type WebhookVerdict = { events: readonly JsonNode[] } | { status: number; reason: string };

export interface WebhookOptions {
  /** `http://[host]:port/path` or `https://…` (open_params). */
  url: string;
  /** https: a PEM file holding the key and the certificate (the plugins' sslCertificate). */
  sslCertificate?: string;
  /** Largest body taken, bytes. */
  maxBodyBytes: number;
  /** Checks before the body is parsed (signatures): a refusal, or undefined to go on. */
  precheck?(req: IncomingMessage, body: Buffer): { status: number; reason: string } | undefined;
  handle(doc: JsonNode, req: IncomingMessage): WebhookVerdict;
  /** The accepted events, in order (called before the 200 goes out). */
  onEvents(events: readonly JsonNode[]): void;
  log(line: string): void;
}

export interface Webhook {
  readonly url: string;
  readonly counters: WebhookCounters;
  close(): Promise<void>;
}

export class WebhookError extends Error {}

export function parseListenUrl(url: string): { tls: boolean; host: string; port: number; path: string } {
  const m = /^(https?):\/\/(\[[^\]]*\]|[^:/]*)(?::(\d+))?(\/[^?#]*)?$/.exec(url);
  if (!m) throw new WebhookError(`cannot listen on '${url}': write it as http://[host]:port/path or https://…`);
  const tls = m[1] === 'https';
  return { tls, host: m[2]!.replace(/^\[|\]$/g, '') || '0.0.0.0', port: m[3] ? Number(m[3]) : tls ? 443 : 80, path: m[4] || '/' };
}

export async function startWebhook(o: WebhookOptions): Promise<Webhook> {
  const where = parseListenUrl(o.url);
  const counters: WebhookCounters = { requests: 0, events: 0, refused: {} };
  const refuse = (res: ServerResponse, status: number, reason: string) => {
    counters.refused[reason] = (counters.refused[reason] ?? 0) + 1;
    res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(reason + '\n');
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    counters.requests++;
    if ((req.url ?? '/').split('?')[0] !== where.path) return refuse(res, 404, 'not found');
    if (req.method !== 'POST') return refuse(res, 405, 'method not allowed');
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return refuse(res, 415, 'wrong content type');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > o.maxBodyBytes) {
      req.resume();
      return refuse(res, 413, 'request body too large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > o.maxBodyBytes) over = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (over) return refuse(res, 413, 'request body too large');
      const body = Buffer.concat(chunks);
      const pre = o.precheck?.(req, body);
      if (pre) return refuse(res, pre.status, pre.reason);
      let doc: JsonNode;
      try {
        doc = parseJson(body.toString('utf8'));
      } catch (e) {
        return refuse(res, 400, `invalid JSON: ${(e as Error).message}`.slice(0, 200).replace(/ at offset \d+/, ''));
      }
      const verdict = o.handle(doc, req);
      if ('status' in verdict) return refuse(res, verdict.status, verdict.reason);
      counters.events += verdict.events.length;
      o.onEvents(verdict.events);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK\n');
    });
    req.on('error', () => {});
  };
  let server: Server;
  if (where.tls) {
    if (!o.sslCertificate) throw new WebhookError(`${o.url}: https needs a certificate (init_config.sslCertificate: one PEM with the key and the certificate)`);
    let pem: string;
    try {
      pem = readFileSync(o.sslCertificate, 'latin1');
    } catch (e) {
      throw new WebhookError(`${o.url}: cannot read sslCertificate ${o.sslCertificate}: ${(e as Error).message}`);
    }
    server = createHttpsServer({ key: pem, cert: pem }, handler);
  } else server = createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new WebhookError(`cannot listen on ${where.host}:${where.port} for ${o.url}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}; change the port in open_params`)),
    );
    server.listen(where.port, where.host, () => resolve());
  });
  server.on('error', (e) => o.log(`falcoc: webhook ${o.url}: ${e.message}`));
  const port = (server.address() as AddressInfo).port;
  const host = where.host.includes(':') ? `[${where.host}]` : where.host;
  return {
    url: `${where.tls ? 'https' : 'http'}://${host}:${port}${where.path}`,
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
