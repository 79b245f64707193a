// program_output: alerts written to a shell command's standard input. keep_alive runs one
// program for all alerts (restarted after SIGHUP or if it exits); otherwise each alert starts
// the program, writes the alert and closes its input, as Falco's popen/pclose per alert: one
// after the other, so a program sees the alerts in order (a queue instead of Falco's wait, so
// detection does not stop meanwhile).
import { spawn, type ChildProcess } from 'node:child_process';
import { OnceLog, type AlertSink, type SinkStats } from './alert-sink.ts';

export class ProgramOutput implements AlertSink {
  readonly name = 'program';
  readonly stats: SinkStats = { sent: 0, failed: 0 };
  private child: ChildProcess | undefined;
  /** Programs still running (the current one). */
  private readonly running = new Set<Promise<void>>();
  /** Without keep_alive: the end of the last alert's program, the next one starts after it. */
  private queue: Promise<void> = Promise.resolve();
  private readonly trouble: OnceLog;

  constructor(
    private readonly program: string,
    private readonly keepAlive: boolean,
    log: (line: string) => void,
  ) {
    this.trouble = new OnceLog(log);
  }

  alert(text: string): void {
    if (this.keepAlive) {
      this.child ??= this.start();
      const child = this.child;
      child.stdin!.write(text, (err) => (err ? this.fail(err) : undefined));
      this.stats.sent++;
      return;
    }
    this.queue = this.queue.then(() => {
      const child = this.start();
      child.stdin!.end(text);
      return new Promise<void>((resolve) => child.on('close', () => resolve()).on('error', () => resolve()));
    });
    this.stats.sent++;
  }

  private start(): ChildProcess {
    const child = spawn('/bin/sh', ['-c', this.program], { stdio: ['pipe', 'inherit', 'inherit'] });
    const done = new Promise<void>((resolve) => {
      child.on('error', (e) => this.fail(e));
      child.on('close', () => {
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    child.stdin!.on('error', (e) => this.fail(e));
    this.running.add(done);
    void done.then(() => this.running.delete(done));
    return child;
  }

  private fail(e: Error): void {
    this.stats.failed++;
    this.trouble.say(`falcoc: program_output: ${this.program}: ${e.message}`);
  }

  drain(): void {}

  reopen(): void {
    this.child?.stdin!.end();
    this.child = undefined;
  }

  async close(): Promise<void> {
    this.child?.stdin!.end();
    this.child = undefined;
    await this.queue;
    await Promise.all(this.running);
  }
}
