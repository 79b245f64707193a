// falcoc.rate_limit and falcoc.dedup: off by default (parity), on event time when enabled.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertGate } from '../../../runtime/outputs/alert-gate.ts';
import type { Alert } from '../../../runtime/format/alert.ts';
import { loadEngineConfig } from '../../../runtime/config/engine-config.ts';
import { replaySession } from '../../../runtime/engine/replay-session.ts';
import { sharedDir, upstreamSyscallFiles } from '../../paths.ts';

const alert = (rule: string, timeS: number, fields: Record<string, string> = {}): Alert => ({
  rule, priority: 'Warning', source: 'syscall', tags: [], time: BigInt(Math.round(timeS * 1e9)), message: 'm', outputFields: fields, hostname: 'h',
});

describe('alert gate', () => {
  it('token bucket per rule: a burst, then the rate, refilled by event time', () => {
    const g = new AlertGate({ rateLimit: { rate: 2, maxBurst: 3 } });
    const admitted = (rule: string, t: number) => g.admit(alert(rule, t));
    expect([0, 0, 0, 0].map((t) => admitted('a', t))).toEqual([true, true, true, false]); // burst of 3
    expect(admitted('b', 0)).toBe(true); // another rule has its own bucket
    expect(admitted('a', 0.25)).toBe(false); // half a token
    expect(admitted('a', 0.5)).toBe(true); // 2/s: one token after 0.5 s
    expect(admitted('a', 10)).toBe(true);
    expect(g.stats).toMatchObject({ rateLimited: 2, deduplicated: 0, byRule: { a: { rateLimited: 2 } } });
  });

  it('dedup window: the same rule and output fields again within the window are dropped', () => {
    const g = new AlertGate({ dedupWindowS: 10 });
    expect(g.admit(alert('r', 0, { 'fd.name': '/etc/shadow' }))).toBe(true);
    expect(g.admit(alert('r', 5, { 'fd.name': '/etc/shadow' }))).toBe(false);
    expect(g.admit(alert('r', 5, { 'fd.name': '/etc/passwd' }))).toBe(true); // other fields
    expect(g.admit(alert('q', 5, { 'fd.name': '/etc/shadow' }))).toBe(true); // other rule
    expect(g.admit(alert('r', 10.5, { 'fd.name': '/etc/shadow' }))).toBe(true); // window over
    expect(g.stats.deduplicated).toBe(1);
    expect(g.summary()).toBe('falcoc: alerts dedup suppressed 1');
  });

  it('is off by default, and takes its settings from falco.yaml’s falcoc section', () => {
    expect(loadEngineConfig({}).config.gate).toEqual({});
    expect(loadEngineConfig({ overrides: ['falcoc.rate_limit.enabled=true', 'falcoc.dedup.enabled=true', 'falcoc.dedup.window_s=30'] }).config.gate)
      .toEqual({ rateLimit: { rate: 1, maxBurst: 10 }, dedupWindowS: 30 });
    expect(() => loadEngineConfig({ overrides: ['falcoc.rate_limit.enabled=true', 'falcoc.rate_limit.rate=0'] })).toThrow(/falcoc\.rate_limit\.rate must be a number > 0/);
    expect(loadEngineConfig({ overrides: ['falcoc.dedup.enabled=false'] }).unknownKeys).toEqual([]);
  });

  it('replays the oracle capture with dedup: fewer alerts, the rest counted', async () => {
    const run = async (overrides: string[]) => {
      let out = '';
      const logs: string[] = [];
      await replaySession({ capture: join(sharedDir, 'oracle', 'mixed.scap.gz'), rules: upstreamSyscallFiles, overrides, write: (s) => void (out += s), log: (l) => void logs.push(l) });
      return { n: out.split('\n').filter(Boolean).length, logs };
    };
    const all = await run([]);
    const deduped = await run(['falcoc.dedup.enabled=true', 'falcoc.dedup.window_s=3600']);
    const m = deduped.logs.map((l) => /dedup suppressed (\d+)/.exec(l)).find(Boolean);
    expect(m).toBeTruthy();
    expect(deduped.n).toBeLessThan(all.n);
    expect(deduped.n + Number(m![1])).toBe(all.n);
  }, 60_000);
});
