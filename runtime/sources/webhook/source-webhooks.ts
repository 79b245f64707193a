// The webhooks of the sources that push events: the k8saudit plugin's audit webhook (audit
// `EventList` bodies or single events; each event at most maxEventSize bytes) and GitHub's
// webhooks (the body plus `webhook_type` from X-GitHub-Event, as the github plugin stores them —
// GitHub's `ping` at a hook's creation included, which upstream rules alert on;
// X-Hub-Signature-256 checked against the configured secret).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { compact, type JsonNode } from '../json-doc.ts';
import { splitDocument } from '../documents.ts';
import { startWebhook, type Webhook } from './webhook-server.ts';

/** The k8saudit plugin's defaults (init_config). */
export const K8S_AUDIT_DEFAULTS = { url: 'http://:9765/k8s-audit', maxEventSize: 262_144, webhookMaxBatchSize: 12_582_912 } as const;

export interface K8sAuditWebhookOptions {
  url: string;
  sslCertificate?: string;
  maxEventSize: number;
  webhookMaxBatchSize: number;
  onEvents(events: readonly JsonNode[]): void;
  log(line: string): void;
}

export function startK8sAuditWebhook(o: K8sAuditWebhookOptions): Promise<Webhook> {
  let oversized = 0;
  return startWebhook({
    url: o.url,
    ...(o.sslCertificate ? { sslCertificate: o.sslCertificate } : {}),
    maxBodyBytes: o.webhookMaxBatchSize,
    handle(doc) {
      const split = splitDocument('k8s_audit', doc);
      if ('error' in split) return { status: 400, reason: split.error };
      // Oversized events are dropped one by one (the plugin's maxEventSize), the rest kept.
      const kept = split.events.filter((e) => Buffer.byteLength(compact(e)) <= o.maxEventSize);
      if (kept.length < split.events.length) {
        oversized += split.events.length - kept.length;
        o.log(`falcoc: k8s_audit webhook: ${oversized} events larger than maxEventSize (${o.maxEventSize} bytes) dropped so far`);
      }
      return { events: kept };
    },
    onEvents: o.onEvents,
    log: o.log,
  });
}

export interface GithubWebhookOptions {
  url: string;
  sslCertificate?: string;
  /** The webhook secret GitHub signs with; undefined: signatures are not checked (said once). */
  secret?: string;
  maxBodyBytes?: number;
  onEvents(events: readonly JsonNode[]): void;
  log(line: string): void;
}

function signatureProblem(secret: string, req: IncomingMessage, body: Buffer): { status: number; reason: string } | undefined {
  const given = req.headers['x-hub-signature-256'];
  if (typeof given !== 'string' || !given.startsWith('sha256=')) return { status: 401, reason: 'missing X-Hub-Signature-256' };
  const want = Buffer.from('sha256=' + createHmac('sha256', secret).update(body).digest('hex'));
  const got = Buffer.from(given);
  return got.length === want.length && timingSafeEqual(got, want) ? undefined : { status: 401, reason: 'invalid X-Hub-Signature-256' };
}

export function startGithubWebhook(o: GithubWebhookOptions): Promise<Webhook> {
  if (o.secret === undefined) o.log('falcoc: github webhook: no secret configured: signatures are not checked (set init_config.secret)');
  return startWebhook({
    url: o.url,
    ...(o.sslCertificate ? { sslCertificate: o.sslCertificate } : {}),
    maxBodyBytes: o.maxBodyBytes ?? 25 * 1024 * 1024,
    ...(o.secret !== undefined ? { precheck: (req: IncomingMessage, body: Buffer) => signatureProblem(o.secret!, req, body) } : {}),
    handle(doc, req) {
      const type = req.headers['x-github-event'];
      if (typeof type !== 'string' || !type) return { status: 400, reason: 'missing X-GitHub-Event' };
      if (doc.k !== 'obj') return { status: 400, reason: 'data not recognized as a GitHub webhook event (not a JSON object)' };
      const at = doc.keys.indexOf('webhook_type');
      const keys = at < 0 ? [...doc.keys, 'webhook_type'] : doc.keys;
      const vals = [...doc.vals];
      vals[at < 0 ? vals.length : at] = { k: 'str', v: type };
      return { events: [{ k: 'obj', keys, vals }] };
    },
    onEvents: o.onEvents,
    log: o.log,
  });
}
