// syslog_output to the local syslog daemon (Falco's default): what Falco's syslog(3) call sends
// to /dev/log, RFC 3164 as glibc writes it — `<PRI>Mmm dd hh:mm:ss falco: MSG` with facility
// user (falcoc's `facility` may change it) and severity from the rule's priority, no trailing newline. Node cannot open a Unix
// datagram socket, so one long-running util-linux `logger` (bsdutils, essential on Debian)
// does the sending: with --prio-prefix it takes each alert's PRI from the line we write, and
// on a local socket it writes exactly glibc's header. Its input is bounded (outputs_queue
// capacity): if the daemon stalls, alerts past it are dropped and counted, detection goes on.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { OnceLog, type AlertMeta, type AlertSink, type SinkStats } from './alert-sink.ts';
import { priorityNumber } from '../../compiler/load/reader.ts';


/** The line logger turns into one message: `<PRI>MSG` (inner newlines would split it). */
export function localSyslogLine(text: string, meta: Pick<AlertMeta, 'priority'>, facility: number): string {
  const severity = priorityNumber(meta.priority) ?? 5;
  return `<${facility * 8 + severity}>${text.replace(/\n$/, '').replace(/\n/g, ' ')}\n`;
}

export class LocalSyslogOutput implements AlertSink {
  readonly name = 'syslog';
  readonly stats: SinkStats = { sent: 0, failed: 0, dropped: 0 };
  private child: ChildProcess | undefined;
  /** No socket at the last try: alerts are counted as failed until a reopen looks again. */
  private absent = false;
  private readonly exits = new Set<Promise<void>>();
  /** Alerts written to logger's input and not yet taken by it. */
  private pending = 0;
  private readonly took = () => void this.pending--;
  private readonly trouble: OnceLog;

  constructor(
    private readonly socket: string,
    private readonly facility: number,
    log: (line: string) => void,
    /** Alerts waiting for logger at most (outputs_queue.capacity); past it they are dropped. */
    private readonly capacity = 10_000,
  ) {
    this.trouble = new OnceLog(log);
  }

  alert(text: string, meta: AlertMeta): void {
    const child = this.absent ? undefined : (this.child ??= this.start());
    if (!child) {
      this.stats.failed++;
      return;
    }
    if (this.pending >= this.capacity) {
      this.stats.dropped!++;
      return;
    }
    this.pending++;
    child.stdin!.write(localSyslogLine(text, meta, this.facility), 'latin1', this.took);
    this.stats.sent++;
  }

  private start(): ChildProcess | undefined {
    // Falco's syslog(3) drops alerts silently when there is no daemon; say it once instead.
    if (!existsSync(this.socket)) {
      this.absent = true;
      this.trouble.say(`falcoc: syslog_output: no syslog socket at ${this.socket} (is a syslog daemon running?); alerts are not sent to syslog — set syslog_output.enabled=false to silence this`);
      return undefined;
    }
    const child = spawn('logger', ['--socket', this.socket, '--socket-errors=on', '--prio-prefix', '--tag', 'falco', '--size', '65536'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin!.on('error', () => {});
    const exited = new Promise<void>((resolve) => {
      child.on('error', (e) => {
        this.trouble.say(`falcoc: syslog_output: cannot run logger (util-linux) to reach ${this.socket}: ${e.message}`);
        resolve();
      });
      child.on('close', (code) => {
        if (this.child === child) this.child = undefined;
        if (code) {
          this.trouble.say(`falcoc: syslog_output: logger exited (${code}): ${err.trim() || 'no reason given'}`);
        }
        resolve();
      });
    });
    this.exits.add(exited);
    void exited.then(() => this.exits.delete(exited));
    return child;
  }

  get depth(): number {
    return this.pending;
  }

  drain(): void {}

  /** SIGHUP: a new logger (the daemon may have been restarted with a new socket). */
  reopen(): void {
    this.child?.stdin!.end();
    this.child = undefined;
    this.absent = false;
    this.trouble.reset();
  }

  async close(): Promise<void> {
    this.child?.stdin!.end();
    this.child = undefined;
    await Promise.all(this.exits);
  }
}
