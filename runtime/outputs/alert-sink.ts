// Where formatted alerts go (falco.yaml's *_output sections): each output takes one alert at
// a time as Falco hands them over, the text already formatted (a line, newline included).
import type { Alert } from '../format/alert.ts';

export interface AlertSink {
  readonly name: string;
  /** One alert. Never throws: a failure is counted (and reported once through the log). */
  alert(text: string, meta: AlertMeta): void;
  /** Hands on what the output buffers, without waiting for any destination (called after each
   * batch of events, so it must never pile up pending work). */
  drain(): void;
  /** SIGHUP: files are reopened (rotation), long-running programs restarted. */
  reopen(): void;
  /** Flushes and releases what the output holds. */
  close(): Promise<void>;
  readonly stats: SinkStats;
  /** Alerts waiting in the output's queue now (queued outputs only). */
  readonly depth?: number;
}

/** Alerts a queued output (HTTP, syslog, gRPC) holds when outputs_queue.capacity is 0 (Falco's
 * "unbounded"): past it they are dropped and counted. */
export const DEFAULT_QUEUE_CAPACITY = 10_000;

/** Everything an output may need beside the text (syslog's severity and time, gRPC's fields). */
export type AlertMeta = Alert;

export interface SinkStats {
  /** Alerts handed on. */
  sent: number;
  /** Alerts an error kept from their destination. */
  failed: number;
  /** Alerts refused because the output's queue was full (queued outputs only). */
  dropped?: number;
  /** Waiting in its queue when the stats were taken (queued outputs only). */
  queued?: number;
}

/** stdout_output: alerts gathered and written in chunks (one write per batch of events). */
export class StdoutSink implements AlertSink {
  readonly name = 'stdout';
  readonly stats: SinkStats = { sent: 0, failed: 0 };
  private pending = '';

  constructor(private readonly write: (text: string) => void) {}

  alert(text: string): void {
    this.pending += text;
    this.stats.sent++;
    if (this.pending.length > 64 * 1024) this.drain();
  }

  drain(): void {
    if (!this.pending) return;
    this.write(this.pending);
    this.pending = '';
  }

  reopen(): void {}

  close(): Promise<void> {
    this.drain();
    return Promise.resolve();
  }
}

/** An output that cannot start (a server that cannot listen): the message says what to change. */
export class OutputError extends Error {}

/** An output's trouble, said once (a failing destination fails for every alert). */
export class OnceLog {
  private said = false;

  constructor(private readonly log: (line: string) => void) {}

  say(line: string): void {
    if (this.said) return;
    this.said = true;
    this.log(line);
  }

  /** After a reopen, trouble is news again. */
  reset(): void {
    this.said = false;
  }
}
