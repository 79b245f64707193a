// What `falcoc run` and `falcoc capture` share: the driver (attached first, so its ring holds
// what happens while the session sets up), the clock, an optional duration and a periodic
// status line, stop() (SIGINT/SIGTERM in the CLI) and waiting until the driver is drained.
import { LiveDriver, type DriverOptions } from './native-driver.ts';

export interface SessionTiming {
  /** Seconds; undefined: until stop(). */
  durationS?: number;
  /** A status line every this many seconds (0 or no `status`: never). */
  everyS?: number;
  status?: (line: string) => void;
}

export abstract class LiveSession {
  protected readonly driver: LiveDriver;
  private readonly started = process.hrtime.bigint();
  private timers: NodeJS.Timeout[] = [];
  private done: Promise<void> | undefined;

  constructor(driverOptions: DriverOptions) {
    this.driver = new LiveDriver(driverOptions);
  }

  /** Starts reading batches; then the duration and the status line run. */
  protected begin(onBatch: (events: Uint8Array, count: number) => void, timing: SessionTiming): void {
    this.done = this.driver.start(onBatch);
    if (timing.durationS !== undefined) this.timers.push(setTimeout(() => this.stop(), timing.durationS * 1000));
    if (timing.status && timing.everyS) {
      const status = timing.status;
      this.timers.push(setInterval(() => status(this.statusLine()), timing.everyS * 1000));
    }
  }

  protected abstract statusLine(): string;

  elapsedS(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e9;
  }

  stop(): void {
    this.clearTimers();
    this.driver.stop();
  }

  /** Resolves once the driver has handed over every event the ring held. */
  protected async drained(): Promise<void> {
    try {
      await this.done;
    } finally {
      this.clearTimers();
    }
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}
