// Optional alert storm control (falcoc's own; Falco removed its rate limiter): a token bucket
// per rule and a dedup window (the same rule with the same output fields again within N
// seconds). Both run on event time, so a replay of a capture suppresses exactly what the live
// run did; both are off by default, so Falco parity holds. What they suppress is counted.
import type { Alert } from '../format/alert.ts';

export interface GateConfig {
  /** Alerts per second per rule, refilled continuously, and the bucket's size. */
  rateLimit?: { rate: number; maxBurst: number };
  /** Seconds within which a repeat (same rule, same output fields) is dropped. */
  dedupWindowS?: number;
}

export interface GateStats {
  rateLimited: number;
  deduplicated: number;
  byRule: Record<string, { rateLimited: number; deduplicated: number }>;
}

export class AlertGate {
  readonly stats: GateStats = { rateLimited: 0, deduplicated: 0, byRule: {} };
  private readonly buckets = new Map<string, { tokens: number; at: bigint }>();
  private readonly seen = new Map<string, bigint>();
  private lastSweep = 0n;

  constructor(private readonly c: GateConfig) {}

  get active(): boolean {
    return this.c.rateLimit !== undefined || this.c.dedupWindowS !== undefined;
  }

  /** Whether the alert goes out. */
  admit(a: Alert): boolean {
    if (this.c.dedupWindowS !== undefined) {
      const window = BigInt(Math.round(this.c.dedupWindowS * 1e9));
      const key = `${a.rule}\u0000${JSON.stringify(a.outputFields, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
      const last = this.seen.get(key);
      if (last !== undefined && a.time - last < window) {
        this.count(a.rule, 'deduplicated');
        return false;
      }
      this.seen.set(key, a.time);
      this.sweep(a.time, window);
    }
    const rl = this.c.rateLimit;
    if (rl) {
      let b = this.buckets.get(a.rule);
      if (!b) this.buckets.set(a.rule, (b = { tokens: rl.maxBurst, at: a.time }));
      const elapsedS = Number(a.time - b.at) / 1e9;
      if (elapsedS > 0) b.tokens = Math.min(rl.maxBurst, b.tokens + elapsedS * rl.rate);
      b.at = a.time > b.at ? a.time : b.at;
      if (b.tokens < 1) {
        this.count(a.rule, 'rateLimited');
        return false;
      }
      b.tokens -= 1;
    }
    return true;
  }

  /** Forgets dedup keys older than the window, now and then (bounded memory). */
  private sweep(now: bigint, window: bigint): void {
    if (now - this.lastSweep < window) return;
    this.lastSweep = now;
    for (const [k, t] of this.seen) if (now - t >= window) this.seen.delete(k);
  }

  private count(rule: string, what: 'rateLimited' | 'deduplicated'): void {
    this.stats[what]++;
    const r = (this.stats.byRule[rule] ??= { rateLimited: 0, deduplicated: 0 });
    r[what]++;
  }

  /** "rate limit suppressed N, dedup suppressed M" or '' when nothing was. */
  summary(): string {
    const parts = [];
    if (this.stats.rateLimited) parts.push(`rate limit suppressed ${this.stats.rateLimited}`);
    if (this.stats.deduplicated) parts.push(`dedup suppressed ${this.stats.deduplicated}`);
    return parts.length ? `falcoc: alerts ${parts.join(', ')}` : '';
  }
}
