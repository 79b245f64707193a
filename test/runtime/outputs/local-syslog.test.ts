// syslog_output to the local daemon's socket, received by a real Unix datagram listener (Python:
// Node cannot bind one), byte for byte as glibc's syslog(3) writes for Falco.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaySession } from '../../../runtime/engine/replay-session.ts';
import { LocalSyslogOutput } from '../../../runtime/outputs/local-syslog.ts';
import { sharedDir, upstreamSyscallFiles } from '../../paths.ts';

/** Binds a Unix datagram socket at `path`; resolves once it listens; each datagram is kept. */
async function listener(path: string): Promise<{ got: string[]; stop(): void }> {
  const script = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(sys.argv[1])
print("ready", flush=True)
while True:
    sys.stdout.write(s.recv(1 << 17).hex() + "\\n")
    sys.stdout.flush()
`;
  const py = spawn('python3', ['-c', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const got: string[] = [];
  let buf = '';
  await new Promise<void>((resolve, reject) => {
    py.on('error', reject);
    py.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'ready') resolve();
        else got.push(Buffer.from(line, 'hex').toString('latin1'));
      }
    });
  });
  return { got, stop: () => py.kill() };
}

const settle = async (got: string[], n: number) => {
  for (let i = 0; i < 100 && got.length < n; i++) await new Promise((r) => setTimeout(r, 50));
};

/** `<PRI>Mmm dd hh:mm:ss falco: MSG` — glibc's header for a local socket, no hostname, no pid. */
const FORMAT = /^<(\d+)>([A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d) falco: (.*)$/s;
const SEVERITY: Record<string, number> = { Emergency: 0, Alert: 1, Critical: 2, Error: 3, Warning: 4, Notice: 5, Informational: 6, Debug: 7 };

describe('syslog_output (local socket)', () => {
  it('sends every alert of a replay as RFC 3164 with facility user and severity from the priority', async () => {
    const sock = join(mkdtempSync(join(tmpdir(), 'falcoc-log-')), 'log');
    const l = await listener(sock);
    let stdout = '';
    const logs: string[] = [];
    const r = await replaySession({
      capture: join(sharedDir, 'oracle', 'mixed.scap.gz'), rules: upstreamSyscallFiles, write: (s) => void (stdout += s), log: (s) => logs.push(s),
      overrides: [`syslog_output.socket=${sock}`],
    });
    expect(r.exitCode).toBe(0);
    const lines = stdout.split('\n').filter(Boolean);
    await settle(l.got, lines.length);
    l.stop();
    expect(lines.length).toBeGreaterThan(100);
    expect(l.got).toHaveLength(lines.length);
    const parsed = l.got.map((g) => FORMAT.exec(g)!);
    expect(parsed.every(Boolean)).toBe(true);
    expect(parsed.map((p) => p[3])).toEqual(lines);
    for (const p of parsed) expect(Number(p[1])).toBe(1 * 8 + SEVERITY[/^\S+: (\w+) /.exec(p[3]!)![1]!]!);
    expect(logs.filter((s) => /syslog/.test(s))).toEqual([]);
  }, 60_000);

  it('JSON alerts keep their bytes; a facility may be chosen', async () => {
    const sock = join(mkdtempSync(join(tmpdir(), 'falcoc-log-')), 'log');
    const l = await listener(sock);
    const out = new LocalSyslogOutput(sock, 16, () => {});
    const text = '{"output":"caf\xc3\xa9 \\"x\\"","priority":"Critical"}\n';
    out.alert(text, { priority: 'Critical' } as never);
    await out.close();
    await settle(l.got, 1);
    l.stop();
    expect(l.got).toHaveLength(1);
    expect(FORMAT.exec(l.got[0]!)![1]).toBe(String(16 * 8 + 2));
    expect(FORMAT.exec(l.got[0]!)![3]).toBe(text.slice(0, -1));
    expect(out.stats).toEqual({ sent: 1, failed: 0, dropped: 0 });
  }, 30_000);

  it('without a syslog socket: said once, alerts counted as failed, no process left behind', async () => {
    const logs: string[] = [];
    const out = new LocalSyslogOutput(join(tmpdir(), 'falcoc-no-such-socket'), 1, (s) => logs.push(s));
    for (let i = 0; i < 5; i++) out.alert('x\n', { priority: 'Warning' } as never);
    await out.close();
    expect(out.stats).toEqual({ sent: 0, failed: 5, dropped: 0 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/no syslog socket at .*falcoc-no-such-socket .*syslog_output\.enabled=false/);
  });
});
