// `falcoc capture`: live events into a capture file that falcoc and Falco replay. The driver is
// attached first (its ring buffer holds what happens meanwhile), then /proc is read and written
// as the file's head tables, then events follow as they come, until the duration ends or
// stop() (SIGINT/SIGTERM) is called.
import { CaptureWriter } from '../capture/capture-writer.ts';
import { DRIVER_SYSCALLS, LiveDriver, type DriverStats } from './native-driver.ts';
import { scanProc } from './proc-scan.ts';

export interface CaptureOptions {
  file: string;
  /** Seconds; undefined: until stop(). */
  durationS?: number;
  syscalls?: readonly string[];
  /** Called with a line of progress now and then (every `progressEveryS`, default 5 s). */
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

export class LiveCapture {
  private readonly driver: LiveDriver;
  private readonly writer: CaptureWriter;
  private readonly done: Promise<void>;
  private readonly started = process.hrtime.bigint();
  private events = 0;
  private readonly tables: { threads: number; fds: number };
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly opts: CaptureOptions) {
    this.driver = new LiveDriver({ syscalls: opts.syscalls ?? DRIVER_SYSCALLS });
    const snap = scanProc(new Set([process.pid]));
    this.tables = { threads: snap.threads.length, fds: snap.fds.length };
    this.writer = new CaptureWriter(opts.file, { gzip: opts.file.endsWith('.gz') });
    this.writer.writeMachineInfo(snap.machine);
    this.writer.writeInterfaces([]);
    this.writer.writeUsers(snap.users, snap.groups);
    this.writer.writeThreads(snap.threads);
    for (const t of snap.threads) if (t.tid === t.pid) this.writer.writeFdList(t.tid, snap.fds.filter((f) => f.tid === t.tid));
    this.done = this.driver.start((bytes, count) => {
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let off = 0; off < bytes.length; ) {
        const len = dv.getUint32(off + 16, true);
        this.writer.writeEvent(bytes, off, len);
        off += len;
      }
      this.events += count;
    });
    if (opts.durationS !== undefined) this.timers.push(setTimeout(() => this.stop(), opts.durationS * 1000));
    if (opts.progress) {
      const every = (opts.progressEveryS ?? 5) * 1000;
      this.timers.push(setInterval(() => opts.progress!(this.progressLine()), every));
    }
  }

  private progressLine(): string {
    const s = this.driver.stats();
    const t = Number(process.hrtime.bigint() - this.started) / 1e9;
    return `falcoc capture: ${this.events.toLocaleString('en-US')} events in ${t.toFixed(1)} s (${Math.round(this.events / t)}/s), drops ${s.drops}`;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.driver.stop();
  }

  /** Resolves once the driver is drained and the file is closed. */
  async finished(): Promise<CaptureSummary> {
    try {
      await this.done;
    } finally {
      for (const t of this.timers) clearTimeout(t);
      await this.writer.close();
    }
    return {
      events: this.events,
      bytes: this.writer.bytesWritten,
      threads: this.tables.threads,
      fds: this.tables.fds,
      elapsedS: Number(process.hrtime.bigint() - this.started) / 1e9,
      driver: this.driver.stats(),
    };
  }
}
