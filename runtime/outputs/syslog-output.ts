// syslog_output to a remote collector (a falcoc extension of Falco's section: `remote:
// udp://host:514`, `tcp://host:601` or `tls://host:6514`, with `facility`): RFC 5424 messages
// whose severity comes from the rule's priority, one datagram each over UDP, octet-counted
// frames (RFC 6587) over TCP and TLS. A stream connection is opened on first use and again
// after it drops; alerts wait in a bounded queue meanwhile (past it: dropped, counted).
import { priorityNumber } from '../../compiler/load/reader.ts';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { OnceLog, type AlertMeta, type AlertSink, type SinkStats } from './alert-sink.ts';

/** Facility names → numbers (RFC 5424). */
export const FACILITIES: Readonly<Record<string, number>> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10, ftp: 11,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

export interface SyslogRemote {
  protocol: 'udp' | 'tcp' | 'tls';
  host: string;
  port: number;
  facility: number;
  caCert?: string;
  insecure?: boolean;
}

/** One RFC 5424 message: `<PRI>1 TIMESTAMP HOST falco PID - - MSG`. */
export function syslog5424(text: string, meta: Pick<AlertMeta, 'priority' | 'time'>, facility: number, hostname: string, pid: number): string {
  const severity = priorityNumber(meta.priority) ?? 5;
  const ms = Number(meta.time / 1_000_000n);
  const us = String(meta.time / 1000n % 1_000_000n).padStart(6, '0');
  const ts = new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${us}Z`);
  return `<${facility * 8 + severity}>1 ${ts} ${hostname || '-'} falco ${pid} - - ${text.replace(/\n$/, '')}`;
}

export class SyslogOutput implements AlertSink {
  readonly name = 'syslog';
  readonly stats: SinkStats = { sent: 0, failed: 0, dropped: 0 };
  private udp: UdpSocket | undefined;
  private stream: Socket | undefined;
  private connected = false;
  private readonly waiting: string[] = [];
  private readonly trouble: OnceLog;
  /** Datagrams handed to the socket and not yet sent. */
  private inFlight = 0;
  private readonly sentUdp = (err: Error | null) => {
    this.inFlight--;
    if (err) this.fail(err);
    else this.stats.sent++;
  };

  constructor(
    private readonly remote: SyslogRemote,
    private readonly hostname: string,
    private readonly log: (line: string) => void,
    private readonly capacity = 10_000,
  ) {
    this.trouble = new OnceLog(log);
  }

  get depth(): number {
    return this.waiting.length;
  }

  alert(text: string, meta: AlertMeta): void {
    const msg = syslog5424(text, meta, this.remote.facility, this.hostname, process.pid);
    if (this.remote.protocol === 'udp') {
      this.udp ??= createSocket(this.remote.host.includes(':') ? 'udp6' : 'udp4').on('error', (e) => this.fail(e, 0));
      this.inFlight++;
      this.udp.send(msg, this.remote.port, this.remote.host, this.sentUdp);
      return;
    }
    if (this.connected) {
      this.write(msg);
      return;
    }
    if (this.waiting.length >= this.capacity) {
      this.stats.dropped!++;
      return;
    }
    this.waiting.push(msg);
    this.open();
  }

  private write(msg: string): void {
    const frame = `${Buffer.byteLength(msg, 'latin1')} ${msg}`;
    this.stream!.write(frame, 'latin1', (err) => (err ? this.fail(err) : this.stats.sent++));
  }

  private open(): void {
    if (this.stream) return;
    const { host, port } = this.remote;
    const onConnect = () => {
      this.connected = true;
      for (const m of this.waiting.splice(0)) this.write(m);
    };
    const s =
      this.remote.protocol === 'tls'
        ? tlsConnect({ host, port, rejectUnauthorized: !this.remote.insecure, ...(this.remote.caCert ? { ca: readFileSync(this.remote.caCert) } : {}) }, onConnect)
        : tcpConnect({ host, port }, onConnect);
    s.on('error', (e) => this.fail(e, 0));
    s.on('close', () => {
      this.stream = undefined;
      this.connected = false;
    });
    this.stream = s;
  }

  private fail(e: Error, alerts = 1): void {
    this.stats.failed += alerts;
    this.trouble.say(`falcoc: syslog_output: ${this.remote.protocol}://${this.remote.host}:${this.remote.port}: ${e.message}`);
  }

  drain(): void {}

  reopen(): void {
    this.stream?.end();
  }

  /** Waits (a short while) for queued frames to leave, then closes. */
  async close(): Promise<void> {
    if (this.udp) {
      const u = this.udp;
      this.udp = undefined;
      for (let i = 0; i < 100 && this.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise<void>((r) => u.close(() => r()));
    }
    const s = this.stream;
    if (s && !this.connected) await new Promise((r) => setTimeout(r, 200)); // a connection under way
    const left = this.waiting.length;
    if (left > 0) {
      this.stats.failed += left;
      this.waiting.length = 0;
      this.log(`falcoc: syslog_output: ${left} alerts not delivered to ${this.remote.protocol}://${this.remote.host}:${this.remote.port} at shutdown (the collector could not be reached)`);
    }
    if (!s) return;
    await new Promise<void>((r) => {
      s.end(() => r());
      setTimeout(r, 2000).unref();
    });
  }
}
