// The okta plugin's memory of MFA trouble, behind okta.mfa.failure.countlast[N] and
// okta.mfa.deny.countlast[N]: when it decodes a `user.mfa.okta_verify.deny_push` event, or a
// `user.authentication.auth_via_mfa` one whose outcome is FAILURE, it appends the event time to
// the list kept for `<eventType>:<actor id>` (duplicates dropped, at most 200 times, the oldest
// going first). A countlast[N] field of such an event counts that list's times after
// `event time - N s`; other events get no value.
//
// Upstream keeps this in the plugin instance. falcoc has no instance per stream, so the memory
// lives here and starts afresh when event numbers start again (a new stream). Not reproduced:
// the cache's wall-clock expiry (84600 s after an entry's last update, by default) and its LFU
// eviction beyond 10000 keys.
import type { LogEvent } from './log-event.ts';

/** cache_usermaxsize's default. */
const MAX_PER_KEY = 200;
const U64 = (1n << 64n) - 1n;

/** Whether the plugin records the event (and gives countlast values for it). */
export function isMfaTrouble(e: LogEvent): boolean {
  return e.eventType === 'user.mfa.okta_verify.deny_push' || (e.eventType === 'user.authentication.auth_via_mfa' && e.outcome.result === 'FAILURE');
}

export const mfaKey = (e: LogEvent) => `${e.eventType}:${e.actor.id}`;

export class MfaWindow {
  private readonly times = new Map<string, bigint[]>();
  private lastNum = 0;

  /** Called once per decoded event, in stream order. */
  observe(num: number, ts: bigint, e: LogEvent): void {
    if (num <= this.lastNum) this.times.clear();
    this.lastNum = num;
    if (!isMfaTrouble(e)) return;
    const key = mfaKey(e);
    const list = this.times.get(key) ?? [];
    if (!list.includes(ts)) list.push(ts);
    if (list.length > MAX_PER_KEY) list.shift();
    this.times.set(key, list);
  }

  /** How many recorded times of the key are after `ts - seconds` (uint64 arithmetic, as upstream). */
  countLast(key: string, ts: bigint, seconds: bigint): bigint {
    const oldest = (ts - ((seconds * 1_000_000_000n) & U64)) & U64;
    let n = 0n;
    for (const t of this.times.get(key) ?? []) if (t > oldest) n++;
    return n;
  }

  reset(): void {
    this.times.clear();
    this.lastNum = 0;
  }
}

/** The one memory all okta extractors share (the plugin instance's). */
export const MFA_WINDOW = new MfaWindow();
