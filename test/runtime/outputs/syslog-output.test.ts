// syslog_output to a remote collector, against real UDP and TCP listeners on loopback.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaySession } from '../../../runtime/engine/replay-session.ts';
import { loadEngineConfig } from '../../../runtime/config/engine-config.ts';
import { syslog5424 } from '../../../runtime/outputs/syslog-output.ts';
import { sharedDir, upstreamSyscallFiles } from '../../paths.ts';
import { selfSignedCert } from '../../tls-certs.ts';

process.env.FALCO_HOSTNAME = 'vm';

async function replayTo(remote: string): Promise<string[]> {
  let stdout = '';
  const r = await replaySession({
    capture: join(sharedDir, 'oracle', 'mixed.scap.gz'), rules: upstreamSyscallFiles, write: (s) => void (stdout += s), log: () => {},
    overrides: [`syslog_output.remote=${remote}`, 'syslog_output.facility=local0'],
  });
  expect(r.exitCode).toBe(0);
  return stdout.split('\n').filter(Boolean);
}

/** `<PRI>1 TIMESTAMP HOST APP PID MSGID SD MSG` */
const FORMAT = /^<(\d+)>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) vm falco (\d+) - - (.*)$/s;

describe('syslog_output (remote)', () => {
  it('sends every alert over UDP as RFC 5424, severity from the priority, facility as configured', async () => {
    const got: string[] = [];
    const server = createSocket('udp4').on('message', (m) => got.push(m.toString('latin1')));
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
    const lines = await replayTo(`udp://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise((r) => setTimeout(r, 200));
    server.close();
    expect(got).toHaveLength(lines.length);
    const parsed = got.map((g) => FORMAT.exec(g)!);
    expect(parsed.every(Boolean)).toBe(true);
    expect(parsed.map((p) => p[4])).toEqual(lines);
    // The text line starts with the time, then the priority: severity follows it (local0 = 16).
    const sev: Record<string, number> = { Emergency: 0, Alert: 1, Critical: 2, Error: 3, Warning: 4, Notice: 5, Informational: 6, Debug: 7 };
    for (const p of parsed) expect(Number(p[1])).toBe(16 * 8 + sev[/^\S+: (\w+) /.exec(p[4]!)![1]!]!);
  }, 60_000);

  it('sends octet-counted frames over TCP', async () => {
    let raw = '';
    const server = createServer((s) => s.on('data', (d) => (raw += d.toString('latin1'))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const lines = await replayTo(`tcp://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise((r) => setTimeout(r, 300));
    server.close();
    const frames: string[] = [];
    for (let at = 0; at < raw.length; ) {
      const sp = raw.indexOf(' ', at);
      const len = Number(raw.slice(at, sp));
      frames.push(raw.slice(sp + 1, sp + 1 + len));
      at = sp + 1 + len;
    }
    expect(frames.map((f) => FORMAT.exec(f)?.[4])).toEqual(lines);
  }, 60_000);

  it('sends over TLS to a collector whose certificate the configured CA signed, and refuses an unknown one', async () => {
    const { key, cert } = selfSignedCert();
    let raw = '';
    const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (s) => s.on('data', (d) => (raw += d.toString('latin1'))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const remote = `tls://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let stdout = '';
    const logs: string[] = [];
    const replay = (overrides: string[]) =>
      replaySession({ capture: join(sharedDir, 'oracle', 'mixed.scap.gz'), rules: upstreamSyscallFiles, write: (s) => void (stdout += s), log: (l) => void logs.push(l), overrides: [`syslog_output.remote=${remote}`, ...overrides] });
    await replay([`syslog_output.ca_cert=${cert}`]);
    await new Promise((r) => setTimeout(r, 300));
    const lines = stdout.split('\n').filter(Boolean);
    expect(raw.match(/ falco \d+ - - /g)?.length).toBe(lines.length);
    // Without the CA the collector is not trusted: nothing is sent, the failure is reported.
    raw = '';
    await replay([]);
    await new Promise((r) => setTimeout(r, 300));
    server.close();
    expect(raw).toBe('');
    expect(logs.some((l) => /syslog_output: tls:\/\/127\.0\.0\.1:\d+: .*(self.signed|certificate)/i.test(l))).toBe(true);
  }, 60_000);

  it('formats the time with microseconds in UTC and refuses a bad remote or facility', () => {
    expect(syslog5424('x\n', { priority: 'Critical', time: 1_765_000_000_123_456_789n }, 1, 'h', 7)).toBe('<10>1 2025-12-06T05:46:40.123456Z h falco 7 - - x');
    expect(() => loadEngineConfig({ overrides: ['syslog_output.remote=syslog.example:514'] })).toThrow(/syslog_output\.remote must be udp:\/\/host:port/);
    expect(() => loadEngineConfig({ overrides: ['syslog_output.remote=udp://h:514', 'syslog_output.facility=local9'] })).toThrow(/syslog_output\.facility must be one of/);
  });
});
