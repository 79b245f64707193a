// grpc_output: alerts served to Falco's gRPC clients (falco-exporter, client-go/-py/-rs) by a
// gRPC server speaking Falco's falco.outputs and falco.version APIs (runtime/outputs/grpc/*.proto).
//
// Falco keeps one queue that every `get` and `sub` stream pops from, so two consumers split the
// alerts between them and a consumer connecting late gets whatever nobody took. falcoc serves the
// two methods from separate places instead, because consumers (an exporter and a human with a
// CLI, say) should not steal each other's alerts:
// - `sub` is a broadcast: each open stream gets every alert raised while it is open. A client
//   that reads too slowly has at most `capacity` responses waiting; past that its alerts are
//   dropped (and counted), never the others'.
// - `get` returns the alerts kept since the previous `get` (the newest `capacity` of them; older
//   ones are dropped and counted), then ends.
import { lstatSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import {
  Server,
  ServerCredentials,
  type MethodDefinition,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { Alert } from '../format/alert.ts';
import { ENGINE_VERSION, FALCOC_VERSION } from '../../compiler/version.ts';
import { OnceLog, OutputError, type AlertMeta, type AlertSink, type SinkStats } from './alert-sink.ts';
import type { GrpcConfig } from './grpc-config.ts';
import { grpcDefinitions, outputsResponse, versionResponse } from './grpc/definitions.ts';
import { AlertRing } from './grpc/alert-ring.ts';

/** How long close() lets streams finish before cutting them. */
const CLOSE_GRACE_MS = 1000;
/** At shutdown, how long a subscriber may take nothing before what it has not read is given up. */
const STALL_MS = 5000;

type Stream = ServerDuplexStream<unknown, Buffer> | ServerWritableStream<unknown, Buffer>;

export class GrpcOutput implements AlertSink {
  readonly name = 'grpc';
  /** sent: responses written to a client stream (an alert to two subscribers counts twice);
   * dropped: alerts `get` lost to newer ones, and responses a slow subscriber had no room for;
   * failed: responses still waiting when their client went away. */
  readonly stats: SinkStats = { sent: 0, failed: 0, dropped: 0 };
  /** Where the server listens: `unix:/path`, or `host:port` with the port bound. */
  address = '';
  private readonly ring: AlertRing;
  private readonly subscribers = new Set<ServerDuplexStream<unknown, Buffer>>();
  private server: { instance: Server; socket?: string } | undefined;
  private closed = false;
  /** A client has called `get`: from then on, alerts pushed out of the ring count as dropped. */
  private getUsed = false;
  private readonly trouble: OnceLog;

  constructor(
    private readonly encode: (text: string, meta: Alert) => Buffer,
    readonly capacity: number,
    private readonly log: (line: string) => void,
  ) {
    this.ring = new AlertRing(Math.max(1, capacity));
    this.trouble = new OnceLog(log);
  }

  alert(text: string, meta: AlertMeta): void {
    if (this.closed) return;
    // The ring's overflow is a loss only to a `get` consumer; before any, it is just history.
    if (!this.ring.push(text, meta) && this.getUsed) this.stats.dropped!++;
    if (this.subscribers.size === 0) return;
    // Encoded once, the same bytes for every subscriber.
    const bytes = this.encode(text, meta);
    for (const s of this.subscribers) {
      if (s.writableLength >= this.capacity) this.stats.dropped!++;
      else s.write(bytes, this.wrote);
    }
  }

  private readonly wrote = () => void this.stats.sent++;

  /** Alerts kept for the next `get`. */
  get depth(): number {
    return this.ring.size;
  }

  /** Open `sub` streams. */
  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** grpc-js never completes writes on a stream its client cancelled: what waits there is lost. */
  private lost(call: Stream): void {
    this.stats.failed += call.writableLength;
  }

  /** `sub`: from now on, every alert. */
  subscribe(call: ServerDuplexStream<unknown, Buffer>): void {
    if (this.closed) {
      call.end();
      return;
    }
    this.subscribers.add(call);
    const leave = () => {
      if (this.subscribers.delete(call)) this.lost(call);
    };
    call.on('data', () => {}); // requests carry nothing: they only keep idle clients' streams alive
    call.on('end', () => {
      // The client will send no more requests: finish, as Falco does, after what is queued.
      this.subscribers.delete(call);
      call.end();
    });
    call.on('cancelled', leave);
    call.on('error', leave);
    call.on('close', leave);
  }

  /** `get`: what was kept since the last `get`, then the end of the stream. */
  get(call: ServerWritableStream<unknown, Buffer>): void {
    this.getUsed = true;
    const kept = [...this.ring.drain()];
    let next = 0;
    // Encoded as the client takes them, so a large backlog is not all in memory twice.
    const pump = () => {
      while (next < kept.length) {
        const [text, meta] = kept[next++]!;
        if (!call.write(this.encode(text, meta), this.wrote)) return void call.once('drain', pump);
      }
      call.end();
    };
    call.on('cancelled', () => {
      this.lost(call);
      this.stats.failed += kept.length - next;
      next = kept.length;
    });
    pump();
  }

  drain(): void {}

  reopen(): void {}

  /** Ends the subscribers' streams once what is queued for them has gone out (as long as they
   * keep reading: a client that stops for STALL_MS loses the rest, counted and reported), then
   * stops the server (cutting what is still open after a short grace). */
  async close(): Promise<void> {
    this.closed = true;
    const streams = [...this.subscribers];
    this.subscribers.clear();
    for (const s of streams) s.end();
    const pending = () => streams.reduce((n, s) => n + (s.writableFinished || s.destroyed ? 0 : s.writableLength), 0);
    let left = pending();
    if (left > 1000) this.log(`falcoc: grpc: delivering ${left} queued alerts to ${streams.length} subscriber(s) before exiting…`);
    for (let still = 0; left > 0 && still < STALL_MS; still += 100) {
      await new Promise((r) => setTimeout(r, 100));
      const now = pending();
      if (now < left) still = 0;
      left = now;
    }
    if (left > 0) {
      this.stats.failed += left;
      this.log(`falcoc: grpc: ${left} alerts not delivered at shutdown (a subscriber stopped reading)`);
    }
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const cut = setTimeout(() => {
        this.trouble.say(`falcoc: grpc: clients still connected ${CLOSE_GRACE_MS} ms after shutdown began; closing their connections`);
        server.instance.forceShutdown();
        resolve();
      }, CLOSE_GRACE_MS);
      server.instance.tryShutdown(() => {
        clearTimeout(cut);
        resolve();
      });
    });
    if (server.socket) removeSocket(server.socket);
  }

  /** openGrpcOutput's: the server to stop on close. */
  serving(instance: Server, address: string, socket?: string): void {
    this.server = socket ? { instance, socket } : { instance };
    this.address = address;
  }
}

/** The gRPC server with grpc_output's alerts and the version service, listening as configured.
 * Rejects, naming the address and what to change, when it cannot listen. */
export async function openGrpcOutput(
  config: GrpcConfig,
  log: (line: string) => void,
  opts: { version?: string } = {},
): Promise<GrpcOutput> {
  const defs = grpcDefinitions();
  const outputsSvc = defs['falco.outputs.service'] as ServiceDefinition;
  const versionSvc = defs['falco.version.service'] as ServiceDefinition;
  const sub = outputsSvc.sub as MethodDefinition<unknown, unknown>;
  const serialize = sub.responseSerialize;
  const encode = (text: string, meta: Alert) => serialize(outputsResponse(text, meta, config.timeField));
  // Responses reach the streams already encoded (once per alert, however many subscribers).
  const passBytes = (m: MethodDefinition<unknown, unknown>) => ({ ...m, responseSerialize: (b: unknown) => b as Buffer });
  const outputs: ServiceDefinition = { sub: passBytes(sub), get: passBytes(outputsSvc.get as MethodDefinition<unknown, unknown>) };

  const out = new GrpcOutput(encode, config.capacity, log);
  const server = new Server();
  server.addService(outputs, {
    sub: (call: ServerDuplexStream<unknown, Buffer>) => out.subscribe(call),
    get: (call: ServerWritableStream<unknown, Buffer>) => out.get(call),
  });
  const version = versionResponse(opts.version ?? FALCOC_VERSION, ENGINE_VERSION);
  server.addService(versionSvc, {
    version: (_call: ServerUnaryCall<unknown, unknown>, done: sendUnaryData<unknown>) => done(null, version),
  });

  const { target, credentials } = await listenTarget(config);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(target, credentials, (err, p) =>
      err
        ? reject(new OutputError(`grpc: cannot listen on '${config.bindAddress}': ${err.message} — free the address or change grpc.bind_address (or set grpc.enabled=false)`))
        : resolve(p),
    ),
  );
  const l = config.listen;
  if (l.kind === 'unix') out.serving(server, target, l.path);
  else out.serving(server, `${l.host}:${port}`);
  return out;
}

async function listenTarget(config: GrpcConfig): Promise<{ target: string; credentials: ServerCredentials }> {
  const l = config.listen;
  if (l.kind === 'unix') {
    // As Falco does: create the socket's directory; a socket file left by a process that is gone
    // is removed, one that still answers is somebody else's.
    try {
      mkdirSync(dirname(l.path), { recursive: true });
    } catch (e) {
      throw new OutputError(`grpc: cannot create the directory of '${config.bindAddress}': ${(e as Error).message}`);
    }
    await clearStaleSocket(l.path, config.bindAddress);
    return { target: `unix:${l.path}`, credentials: ServerCredentials.createInsecure() };
  }
  const read = (key: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new OutputError(`grpc: cannot read grpc.${key} '${file}' (needed for mutual TLS on '${config.bindAddress}'): ${(e as Error).message}`);
    }
  };
  const key = read('private_key', l.tls.privateKey);
  const chain = read('cert_chain', l.tls.certChain);
  const ca = read('root_certs', l.tls.rootCerts);
  // Mutual TLS: the client must present a certificate that root_certs signed.
  const credentials = ServerCredentials.createSsl(ca, [{ private_key: key, cert_chain: chain }], true);
  return { target: `${l.host}:${l.port}`, credentials };
}

async function clearStaleSocket(path: string, bindAddress: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) throw new OutputError(`grpc: cannot listen on '${bindAddress}': '${path}' exists and is not a socket — remove it or change grpc.bind_address`);
  const live = await new Promise<boolean>((resolve) => {
    const c = connect(path);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (live) throw new OutputError(`grpc: cannot listen on '${bindAddress}': another process is serving that socket (a running Falco or falcoc?) — stop it or change grpc.bind_address`);
  removeSocket(path);
}

function removeSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // already gone
  }
}
