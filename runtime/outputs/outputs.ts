// The configured outputs as one: every alert goes to each enabled output, in order.
import type { OutputsConfig } from '../config/engine-config.ts';
import { DEFAULT_QUEUE_CAPACITY, StdoutSink, type AlertMeta, type AlertSink, type SinkStats } from './alert-sink.ts';
import { FileOutput } from './file-output.ts';
import { ProgramOutput } from './program-output.ts';
import { HTTP_DEFAULTS, HttpOutput } from './http-output.ts';
import { FACILITIES, SyslogOutput } from './syslog-output.ts';
import { LocalSyslogOutput } from './local-syslog.ts';
import { openGrpcOutput } from './grpc-output.ts';
import { hostname } from 'node:os';

export class Outputs {
  constructor(readonly sinks: readonly AlertSink[]) {}

  alert(text: string, meta: AlertMeta): void {
    for (const s of this.sinks) s.alert(text, meta);
  }

  /** After a batch of events: buffered alerts leave now; nothing waits on a destination. */
  drain(): void {
    for (const s of this.sinks) s.drain();
  }

  reopen(): void {
    for (const s of this.sinks) s.reopen();
  }

  async close(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.close()));
  }

  stats(): Record<string, SinkStats> {
    return Object.fromEntries(this.sinks.map((s) => [s.name, s.depth === undefined ? { ...s.stats } : { ...s.stats, queued: s.depth }]));
  }
}

/** The outputs `config` enables; stdout text goes to `write`, output errors to `log`; `json`:
 * alerts are JSON lines (http_output's content type). Rejects when a server output (gRPC)
 * cannot listen. */
export async function openOutputs(config: OutputsConfig, io: { write(text: string): void; log(line: string): void; json?: boolean; hostname?: string }): Promise<Outputs> {
  const sinks: AlertSink[] = [];
  const capacity = config.queueCapacity || DEFAULT_QUEUE_CAPACITY;
  if (config.stdout) sinks.push(new StdoutSink(io.write));
  if (config.file) sinks.push(new FileOutput(config.file.filename, config.file.keepAlive, io.log));
  if (config.program) sinks.push(new ProgramOutput(config.program.program, config.program.keepAlive, io.log));
  if (config.syslog?.remote) {
    const facility = FACILITIES[config.syslog.facility]!;
    sinks.push(new SyslogOutput({ ...config.syslog.remote, facility }, io.hostname ?? hostname(), io.log, capacity));
  } else if (config.syslog) {
    sinks.push(new LocalSyslogOutput(config.syslog.socket, FACILITIES[config.syslog.facility]!, io.log, capacity));
  }
  if (config.http) {
    sinks.push(new HttpOutput({ ...HTTP_DEFAULTS, ...config.http, capacity, json: io.json ?? false }, io.log, io.write));
  }
  if (config.grpc) {
    try {
      sinks.push(await openGrpcOutput(config.grpc, io.log));
    } catch (e) {
      await Promise.all(sinks.map((s) => s.close()));
      throw e;
    }
  }
  return new Outputs(sinks);
}
