// http_output: each alert POSTed to a URL (Falco's libcurl output): the formatted alert as the
// body, application/json when json_output is on, text/plain otherwise. Detection never waits
// for the endpoint: alerts wait in a bounded queue that one sender drains in order (retrying
// a failed post with backoff); past the bound they are dropped and counted. A slow or dead
// endpoint costs queue memory, never event processing.
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { ConfigError } from '../config/config-error.ts';
import { DEFAULT_QUEUE_CAPACITY, OnceLog, type AlertSink, type SinkStats } from './alert-sink.ts';

export interface HttpOutputOptions {
  url: string;
  json: boolean;
  userAgent: string;
  /** Skip TLS certificate checks. */
  insecure: boolean;
  /** PEM files of the CAs to trust instead of the system's (ca_cert, ca_bundle). */
  caFiles?: readonly string[];
  /** A folder of PEM certificates trusted beside them (ca_path; ignored when missing, as curl does). */
  caPath?: string;
  /** mtls: this client's certificate and key (PEM files). */
  clientCert?: string;
  clientKey?: string;
  /** echo: each answer's body goes to `write` (stdout). */
  echo?: boolean;
  keepAlive: boolean;
  compressUploads: boolean;
  /** Alerts waiting at most (then dropped). */
  capacity: number;
  /** Per request. */
  timeoutMs: number;
  /** Attempts per alert before it counts as failed. */
  attempts: number;
  /** First retry delay, doubled at each retry. */
  backoffMs: number;
}

/** The TLS settings of https URLs: trust, client certificate (mtls), or no checks (insecure).
 * Files are read once here: a missing one is a startup error naming it. */
function tlsOptions(o: HttpOutputOptions): ConnectionOptions {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file, 'latin1');
    } catch (e) {
      throw new ConfigError(`config: http_output: cannot read the ${what} ${file}: ${(e as Error).message}`);
    }
  };
  const out: ConnectionOptions = { rejectUnauthorized: !o.insecure };
  const ca = (o.caFiles ?? []).map((f) => read(f, 'CA certificate'));
  if (o.caPath && existsSync(o.caPath) && statSync(o.caPath).isDirectory()) {
    const inPath = readdirSync(o.caPath).filter((n) => /\.(pem|crt)$/.test(n)).map((n) => read(join(o.caPath!, n), 'CA certificate'));
    if (inPath.length) ca.push(...(ca.length ? [] : rootCertificates), ...inPath);
  }
  if (ca.length) out.ca = ca;
  if (o.clientCert) out.cert = read(o.clientCert, 'client certificate (http_output.client_cert)');
  if (o.clientKey) out.key = read(o.clientKey, 'client key (http_output.client_key)');
  return out;
}

export const HTTP_DEFAULTS = { capacity: DEFAULT_QUEUE_CAPACITY, timeoutMs: 5_000, attempts: 3, backoffMs: 100 } as const;

export class HttpOutput implements AlertSink {
  readonly name = 'http';
  readonly stats: SinkStats = { sent: 0, failed: 0, dropped: 0 };
  private readonly queue: string[] = [];
  private head = 0;
  private sending: Promise<void> | undefined;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly url: URL;
  private closing = false;
  private readonly trouble: OnceLog;

  constructor(
    private readonly o: HttpOutputOptions,
    private readonly log: (line: string) => void,
    private readonly write: (text: string) => void = () => {},
  ) {
    this.trouble = new OnceLog(log);
    this.url = new URL(o.url);
    const tls = this.url.protocol === 'https:';
    this.agent = tls ? new HttpsAgent({ keepAlive: o.keepAlive, ...tlsOptions(o) }) : new HttpAgent({ keepAlive: o.keepAlive });
  }

  /** Alerts queued, not yet sent. */
  get depth(): number {
    return this.queue.length - this.head;
  }

  alert(text: string): void {
    if (this.depth >= this.o.capacity) {
      this.stats.dropped!++;
      this.trouble.say(`falcoc: http_output: queue full (${this.o.capacity} alerts): alerts are dropped and counted until the endpoint keeps up`);
      return;
    }
    this.queue.push(text.endsWith('\n') ? text.slice(0, -1) : text);
    this.sending ??= this.sendQueued().finally(() => (this.sending = undefined));
  }

  private async sendQueued(): Promise<void> {
    while (this.depth > 0 && !this.closing) {
      const body = this.queue[this.head]!;
      const ok = await this.deliver(body);
      if (this.closing) return; // close() gave up on what was left, this one included
      this.queue[this.head++] = '';
      if (this.head > 4096 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      if (ok) this.stats.sent++;
      else this.stats.failed++;
    }
  }

  private async deliver(body: string): Promise<boolean> {
    let delay = this.o.backoffMs;
    for (let attempt = 1; attempt <= this.o.attempts && !this.closing; attempt++) {
      const err = await this.post(body);
      if (err === undefined) return true;
      if (attempt === this.o.attempts) this.trouble.say(`falcoc: http_output: ${this.o.url}: ${err} (after ${attempt} attempts; the alert counts as failed)`);
      else await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
    return false;
  }

  /** One POST; undefined on a 2xx answer, else what went wrong. */
  private post(body: string): Promise<string | undefined> {
    const payload = this.o.compressUploads ? gzipSync(body) : Buffer.from(body, 'latin1');
    const headers: Record<string, string | number> = {
      'content-type': this.o.json ? 'application/json' : 'text/plain',
      'user-agent': this.o.userAgent,
      'content-length': payload.length,
    };
    if (this.o.compressUploads) headers['content-encoding'] = 'gzip';
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = send(this.url, { method: 'POST', headers, agent: this.agent, timeout: this.o.timeoutMs }, (res) => {
        let answer = '';
        if (this.o.echo) res.on('data', (d: Buffer) => (answer += d.toString('latin1')));
        else res.resume();
        res.on('end', () => {
          if (answer) this.write(answer.endsWith('\n') ? answer : answer + '\n');
        });
        res.on('end', () => resolve(res.statusCode! >= 200 && res.statusCode! < 300 ? undefined : `HTTP ${res.statusCode}`));
        res.on('error', (e) => resolve(e.message));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${this.o.timeoutMs} ms`)));
      req.on('error', (e) => resolve(e.message));
      req.end(payload);
    });
  }

  /** The sender works on its own; nothing to hand on. */
  drain(): void {}

  /** Until the queue is empty. */
  private async delivered(): Promise<void> {
    while (this.sending) await this.sending;
  }

  reopen(): void {}

  /**
   * Sends what is queued while the endpoint keeps taking it: shutdown gives up only when no
   * alert has been delivered for `stallMs` (a dead or hanging endpoint), or after `capMs` in all.
   * What is still queued then is counted as failed and reported.
   */
  async close(stallMs = 2 * this.o.timeoutMs, capMs = 120_000): Promise<void> {
    const start = Date.now();
    if (this.depth > 1000) this.log(`falcoc: http_output: delivering ${this.depth} queued alerts to ${this.o.url} before exiting…`);
    // Progress is alerts delivered: an endpoint that fails fast makes none.
    let done = this.stats.sent;
    let progressAt = start;
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const tick = Math.min(1000, stallMs);
      const finished = await Promise.race([this.delivered().then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), tick)))]);
      clearTimeout(timer);
      if (finished) break;
      const now = Date.now();
      const nowDone = this.stats.sent;
      if (nowDone > done) [done, progressAt] = [nowDone, now];
      if (now - progressAt >= stallMs || now - start >= capMs) break;
    }
    this.closing = true;
    const left = this.depth;
    if (left > 0) {
      this.stats.failed += left;
      this.log(`falcoc: http_output: ${left} alerts not delivered to ${this.o.url} at shutdown (the endpoint did not keep up)`);
      this.queue.length = 0;
      this.head = 0;
    }
    this.agent.destroy();
  }
}
