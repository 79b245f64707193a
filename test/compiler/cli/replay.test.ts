// `falcoc replay` run as users run it: alerts, the summary file, engine options, damaged captures.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repoRoot, sharedDir, upstreamSyscallFiles } from '../../paths.ts';

const mixed = join(sharedDir, 'oracle/mixed.scap.gz');
const dir = mkdtempSync(join(tmpdir(), 'falcoc-replay-'));

function falcoc(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    cwd: repoRoot,
    env: { ...process.env, TZ: 'UTC', FALCO_HOSTNAME: 'vm' },
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('falcoc replay', () => {
  test('prints the alerts and writes the summary file', () => {
    const summary = join(dir, 'summary.json');
    const r = falcoc(['replay', mixed, '-r', ...upstreamSyscallFiles, '--summary-file', summary]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(131);
    expect(lines[0]).toMatch(/^18:16:10\.262058253: Warning Sensitive file opened for reading by non-trusted program \| file=\/etc\/shadow /);
    expect(r.stderr).toMatch(/Events read: 420606 /);
    const s = JSON.parse(readFileSync(summary, 'utf8'));
    expect(s.events).toBe(420606);
    expect(s.alerts).toBe(131);
    expect(s.alerts_by_rule['User mgmt binaries']).toBe(22);
    expect(Object.values(s.alerts_by_rule as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(131);
    expect(s.events_by_type.openat).toBeGreaterThan(100_000);
    expect(s.elapsed_s).toBeGreaterThan(0);
    expect(s.events_per_s).toBeGreaterThan(0);
  });

  test('takes -o overrides the way Falco does and warns about unknown keys', () => {
    const r = falcoc(['replay', mixed, '-r', ...upstreamSyscallFiles, '-o', 'priority=critical', '-o', 'json_output=true', '-o', 'no_such_key=1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("unknown configuration key 'no_such_key' ignored");
    const alerts = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(['Critical', 'Alert', 'Emergency']).toContain(a.priority);
    expect(alerts[0]).toMatchObject({ hostname: 'vm', source: 'syscall' });
  });

  test('a truncated capture: alerts before the cut, then an error naming the byte offset', () => {
    const whole = gunzipSync(readFileSync(mixed));
    const cut = join(dir, 'cut.scap');
    writeFileSync(cut, whole.subarray(0, 3_000_000));
    const r = falcoc(['replay', cut, '-r', ...upstreamSyscallFiles]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/capture: .*at byte \d+/);
    expect(r.stderr).toContain('truncated');
    expect(r.stdout.split('\n')[0]).toMatch(/Sensitive file opened for reading/);
  });

  test('not a capture, or no such file: exit 1 with a message, no stack trace', () => {
    const junk = join(dir, 'junk.scap');
    writeFileSync(junk, 'this is not a capture file at all, just text\n');
    for (const f of [junk, join(dir, 'missing.scap')]) {
      const r = falcoc(['replay', f, '-r', ...upstreamSyscallFiles]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^falcoc: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
