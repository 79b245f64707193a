// The audit and GitHub webhooks against real HTTP(S) requests on loopback: what is accepted is
// handed over whole and in order (concurrent posts included), what is refused gets the status
// and reason, is counted, and leaves the server serving.
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compact, member, parseJson, str, type JsonNode } from '../../../runtime/sources/json-doc.ts';
import { startGithubWebhook, startK8sAuditWebhook } from '../../../runtime/sources/webhook/source-webhooks.ts';
import type { Webhook } from '../../../runtime/sources/webhook/webhook-server.ts';
import { sharedDir } from '../../paths.ts';
import { selfSignedCert } from '../../tls-certs.ts';

const auditDir = join(sharedDir, 'plugin-sources/events/k8s_audit');
const auditEvents = readdirSync(auditDir).sort().map((f) => readFileSync(join(auditDir, f), 'utf8').trim());
const eventList = (items: string[]) => `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[${items.join(',')}]}`;

const hooks: Webhook[] = [];
afterEach(async () => {
  await Promise.all(hooks.splice(0).map((h) => h.close()));
});

async function post(url: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, method = 'POST') {
  const res = await fetch(url, { method, headers, ...(method === 'GET' ? {} : { body }) });
  return { status: res.status, text: (await res.text()).trim() };
}

async function audit(o: Partial<Parameters<typeof startK8sAuditWebhook>[0]> = {}) {
  const got: JsonNode[] = [];
  const logs: string[] = [];
  const hook = await startK8sAuditWebhook({
    url: 'http://127.0.0.1:0/k8s-audit', maxEventSize: 262_144, webhookMaxBatchSize: 1 << 20, onEvents: (e) => void got.push(...e), log: (l) => void logs.push(l), ...o,
  });
  hooks.push(hook);
  return { hook, got, logs };
}

describe('k8s_audit webhook', () => {
  it('takes EventLists and single events, in order; concurrent posts lose nothing', async () => {
    const { hook, got } = await audit();
    expect(await post(hook.url, eventList(auditEvents))).toEqual({ status: 200, text: 'OK' });
    expect(await post(hook.url, auditEvents[0]!)).toEqual({ status: 200, text: 'OK' });
    expect(got.map(compact)).toEqual([...auditEvents, auditEvents[0]!].map((t) => compact(parseJson(t))));
    // 40 clients at once, 25 events each, every event tagged with its post and position.
    got.length = 0;
    const tagged = (p: number, i: number) => auditEvents[i % auditEvents.length]!.replace('"auditID":"', `"auditID":"p${p}-e${i}-`);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, p) => post(hook.url, eventList(Array.from({ length: 25 }, (_, i) => tagged(p, i))))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(got).toHaveLength(1000);
    const ids = got.map((e) => str(member(e, 'auditID'))!);
    for (let p = 0; p < 40; p++) {
      const mine = ids.filter((id) => id.startsWith(`p${p}-`));
      expect(mine.map((id) => Number(/-e(\d+)-/.exec(id)![1]))).toEqual(Array.from({ length: 25 }, (_, i) => i));
    }
    expect(hook.counters).toMatchObject({ events: 1007, refused: {} });
  });

  it('refuses what is not an audit webhook post, says why, counts it, and goes on serving', async () => {
    const { hook, got } = await audit({ webhookMaxBatchSize: 64 * 1024, maxEventSize: 4096 });
    const base = hook.url;
    expect(await post(base, auditEvents[0]!, { 'content-type': 'text/plain' })).toEqual({ status: 415, text: 'wrong content type' });
    expect((await post(base, '', {}, 'GET')).status).toBe(405);
    expect((await post(base.replace('/k8s-audit', '/other'), auditEvents[0]!)).status).toBe(404);
    expect(await post(base, '{"kind":"EventList","items":[')).toMatchObject({ status: 400, text: expect.stringMatching(/^invalid JSON: unexpected end of JSON/) });
    expect(await post(base, '{"kind":"Pod","metadata":{}}')).toEqual({ status: 400, text: 'data not recognized as a k8s audit event' });
    expect(await post(base, `[${auditEvents[0]}]`)).toEqual({ status: 400, text: 'data not recognized as a k8s audit event' });
    expect((await post(base, eventList(Array.from({ length: 100 }, () => auditEvents[0]!)))).status).toBe(413);
    // An event over maxEventSize is dropped alone; the others of its list are kept.
    const big = auditEvents[0]!.replace('"auditID":"', `"auditID":"${'x'.repeat(5000)}`);
    expect((await post(base, eventList([auditEvents[1]!, big, auditEvents[2]!]))).status).toBe(200);
    expect(got.map((e) => str(member(e, 'auditID')))).toEqual([auditEvents[1], auditEvents[2]].map((t) => str(member(parseJson(t!), 'auditID'))));
    expect(hook.counters.refused).toEqual({
      'wrong content type': 1, 'method not allowed': 1, 'not found': 1, 'data not recognized as a k8s audit event': 2, 'request body too large': 1,
      [Object.keys(hook.counters.refused).find((k) => k.startsWith('invalid JSON'))!]: 1,
    });
    expect((await post(base, auditEvents[3]!)).status).toBe(200);
  });

  it('serves HTTPS with one PEM holding key and certificate (sslCertificate)', async () => {
    const { key, cert } = selfSignedCert();
    const pem = join(key, '..', 'falco.pem');
    writeFileSync(pem, readFileSync(key, 'latin1') + readFileSync(cert, 'latin1'));
    const { hook, got } = await audit({ url: 'https://127.0.0.1:0/k8s-audit', sslCertificate: pem });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, ca: readFileSync(cert) }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end(auditEvents[0]);
    });
    expect(status).toBe(200);
    expect(got).toHaveLength(1);
  });

  it('says which port is in use', async () => {
    const { hook } = await audit();
    await expect(audit({ url: hook.url })).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ .*the port is in use; change the port in open_params/);
  });
});

describe('github webhook', () => {
  const secret = 'It\u2019s a Secret to Everybody';
  const sign = (body: string) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
  const body = readFileSync(join(sharedDir, 'plugin-sources/events/github', readdirSync(join(sharedDir, 'plugin-sources/events/github')).sort()[0]!), 'utf8');

  it('takes signed events with their type (pings too), refuses bad or missing signatures', async () => {
    const got: JsonNode[] = [];
    const hook = await startGithubWebhook({ url: 'http://127.0.0.1:0/github', secret, onEvents: (e) => void got.push(...e), log: () => {} });
    hooks.push(hook);
    const h = (extra: Record<string, string>) => ({ 'content-type': 'application/json', 'x-github-event': 'push', ...extra });
    expect(await post(hook.url, body, h({ 'x-hub-signature-256': sign(body) }))).toEqual({ status: 200, text: 'OK' });
    expect(await post(hook.url, body, h({ 'x-hub-signature-256': sign(body + ' ') }))).toEqual({ status: 401, text: 'invalid X-Hub-Signature-256' });
    expect(await post(hook.url, body, h({}))).toEqual({ status: 401, text: 'missing X-Hub-Signature-256' });
    expect(await post(hook.url, '{"zen":"hi"}', h({ 'x-github-event': 'ping', 'x-hub-signature-256': sign('{"zen":"hi"}') }))).toEqual({ status: 200, text: 'OK' });
    expect(got.map((e) => str(member(e, 'webhook_type')))).toEqual(['push', 'ping']);
    expect(hook.counters.refused).toEqual({ 'invalid X-Hub-Signature-256': 1, 'missing X-Hub-Signature-256': 1 });
  });

  it('takes concurrent signed posts whole and in order per sender; refuses the wrong type, bad JSON and oversized bodies', async () => {
    const got: JsonNode[] = [];
    const hook = await startGithubWebhook({ url: 'http://127.0.0.1:0/github', secret, maxBodyBytes: 64 * 1024, onEvents: (e) => void got.push(...e), log: () => {} });
    hooks.push(hook);
    const send = (b: string, extra: Record<string, string> = {}) =>
      post(hook.url, b, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': sign(b), ...extra });
    const bodies = Array.from({ length: 60 }, (_, i) => body.replace('{', `{"seq":${i},`));
    const answers = await Promise.all(bodies.map((b) => send(b)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(got.map((e) => Number(compact(member(e, 'seq')!))).sort((a, b) => a - b)).toEqual(bodies.map((_, i) => i));
    expect(await send(body, { 'content-type': 'application/x-www-form-urlencoded' })).toEqual({ status: 415, text: 'wrong content type' });
    expect((await send('{"action": ')).status).toBe(400);
    expect((await send(`{"pad":"${'x'.repeat(70 * 1024)}"}`)).status).toBe(413);
    expect(await send('[1,2]')).toEqual({ status: 400, text: 'data not recognized as a GitHub webhook event (not a JSON object)' });
    expect(got).toHaveLength(60);
    expect((await send(body)).status).toBe(200);
  });
});
