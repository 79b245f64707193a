// `falcoc capture`: live events into a capture file that falcoc and Falco replay. The driver is
// attached first, then /proc is read and written as the file's head tables, then events follow
// as they come, until the duration ends or stop() is called.
import { CaptureWriter } from '../capture/capture-writer.ts';
import type { FdRecord } from '../capture/capture-types.ts';
import type { DriverStats } from './native-driver.ts';
import { allDriverSyscalls } from './capture-set.ts';
import { scanProc } from './proc-scan.ts';
import { LiveSession } from './live-session.ts';

export interface CaptureOptions {
  file: string;
  /** Seconds; undefined: until stop(). */
  durationS?: number;
  syscalls?: readonly string[];
  /** Called with a line of progress every `progressEveryS` (default 5 s). */
  progress?: (line: string) => void;
  progressEveryS?: number;
}

export interface CaptureSummary {
  events: number;
  bytes: number;
  threads: number;
  fds: number;
  elapsedS: number;
  driver: DriverStats;
}

export class LiveCapture extends LiveSession {
  private readonly writer: CaptureWriter;
  private events = 0;
  private readonly tables: { threads: number; fds: number };

  constructor(opts: CaptureOptions) {
    super({ syscalls: opts.syscalls ?? allDriverSyscalls() });
    const snap = scanProc(new Set([process.pid]));
    this.tables = { threads: snap.threads.length, fds: snap.fds.length };
    this.writer = new CaptureWriter(opts.file, { gzip: opts.file.endsWith('.gz') });
    this.writer.writeMachineInfo(snap.machine);
    this.writer.writeInterfaces([]);
    this.writer.writeUsers(snap.users, snap.groups);
    this.writer.writeThreads(snap.threads);
    const fdsByTid = new Map<bigint, FdRecord[]>();
    for (const f of snap.fds) {
      const list = fdsByTid.get(f.tid);
      if (list) list.push(f);
      else fdsByTid.set(f.tid, [f]);
    }
    for (const t of snap.threads) if (t.tid === t.pid) this.writer.writeFdList(t.tid, fdsByTid.get(t.tid) ?? []);
    this.begin(
      (bytes, count) => {
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (let off = 0; off < bytes.length; ) {
          const len = dv.getUint32(off + 16, true);
          this.writer.writeEvent(bytes, off, len);
          off += len;
        }
        this.events += count;
      },
      { ...(opts.durationS !== undefined ? { durationS: opts.durationS } : {}), everyS: opts.progressEveryS ?? 5, ...(opts.progress ? { status: opts.progress } : {}) },
    );
  }

  protected statusLine(): string {
    const t = this.elapsedS();
    return `falcoc capture: ${this.events.toLocaleString('en-US')} events in ${t.toFixed(1)} s (${Math.round(this.events / t)}/s), drops ${this.driver.stats().drops}`;
  }

  /** Resolves once the driver is drained and the file is closed. */
  async finished(): Promise<CaptureSummary> {
    try {
      await this.drained();
    } finally {
      await this.writer.close();
    }
    return { events: this.events, bytes: this.writer.bytesWritten, ...this.tables, elapsedS: this.elapsedS(), driver: this.driver.stats() };
  }
}
