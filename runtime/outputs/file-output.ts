// file_output: alerts appended to a file. keep_alive holds it open between alerts; otherwise
// each alert opens, appends and closes it (as Falco does), so an external rotation is seen at
// the next alert. reopen() (SIGHUP) closes a held file so rotation works with keep_alive too.
import { appendFileSync, closeSync, openSync, writeSync } from 'node:fs';
import { OnceLog, type AlertSink, type SinkStats } from './alert-sink.ts';

export class FileOutput implements AlertSink {
  readonly name = 'file';
  readonly stats: SinkStats = { sent: 0, failed: 0 };
  private fd: number | undefined;
  private readonly trouble: OnceLog;

  constructor(
    private readonly filename: string,
    private readonly keepAlive: boolean,
    log: (line: string) => void,
  ) {
    this.trouble = new OnceLog(log);
  }

  alert(text: string): void {
    try {
      if (this.keepAlive) {
        this.fd ??= openSync(this.filename, 'a');
        writeSync(this.fd, text);
      } else {
        appendFileSync(this.filename, text);
      }
      this.stats.sent++;
    } catch (e) {
      this.stats.failed++;
      this.release();
      this.trouble.say(`falcoc: file_output: cannot write ${this.filename}: ${(e as Error).message} (alerts to it are counted as failed; check the path and its permissions)`);
    }
  }

  drain(): void {}

  reopen(): void {
    this.release();
    this.trouble.reset();
  }

  close(): Promise<void> {
    this.release();
    return Promise.resolve();
  }

  private release(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = undefined;
  }
}
