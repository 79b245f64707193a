// falco.yaml's `grpc` (the server) and `grpc_output` (alerts through it) sections. As in Falco,
// a unix:// bind address is served without authentication (the socket's file permissions are the
// access control) and anything else is a network address that requires mutual TLS.
// Its own module (re-exported by engine-config.ts), so engine-config can import this file without a cycle.
import { DEFAULT_QUEUE_CAPACITY } from './alert-sink.ts';
import { ConfigError } from '../config/config-error.ts';
import { bool, section } from '../config/config-values.ts';

export interface GrpcTls {
  /** PEM files: the server's key and certificate chain, and the CA that signs client certificates. */
  privateKey: string;
  certChain: string;
  rootCerts: string;
}

export type GrpcListen = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number; tls: GrpcTls };

export interface GrpcConfig {
  /** grpc.bind_address as written (for messages). */
  bindAddress: string;
  listen: GrpcListen;
  /** grpc.threadiness: accepted for compatibility; Node serves every stream on one thread. */
  threadiness: number;
  /** Alerts kept for `get` between calls (outputs_queue.capacity, else falcoc's default). */
  capacity: number;
  /** The output_fields key of the time prefix, as the JSON output names it. */
  timeField: 'evt.time' | 'evt.time.iso8601';
}


const UNIX = 'unix://';

/** The gRPC output as configured, or undefined unless both grpc and grpc_output are enabled. */
export function grpcConfigOf(raw: Record<string, unknown>): GrpcConfig | undefined {
  const grpc = section(raw, 'grpc');
  const output = section(raw, 'grpc_output');
  const serverOn = bool(grpc.enabled ?? false, 'grpc.enabled');
  const outputOn = bool(output.enabled ?? false, 'grpc_output.enabled');
  if (!serverOn || !outputOn) return undefined;

  const bindAddress = String(grpc.bind_address ?? '').trim();
  if (!bindAddress) throw new ConfigError("config: grpc.bind_address must be 'unix:///path/to.sock' or 'host:port' when grpc is enabled");
  const threadiness = Number(grpc.threadiness ?? 0);
  if (!Number.isInteger(threadiness) || threadiness < 0) {
    throw new ConfigError(`config: grpc.threadiness must be a whole number ≥ 0, not ${JSON.stringify(grpc.threadiness)}`);
  }
  const queue = section(raw, 'outputs_queue');
  const queueCapacity = Number(queue.capacity ?? 0);
  const capacity = Number.isInteger(queueCapacity) && queueCapacity > 0 ? queueCapacity : DEFAULT_QUEUE_CAPACITY;
  const timeField = bool(raw.time_format_iso_8601 ?? false, 'time_format_iso_8601') ? 'evt.time.iso8601' : 'evt.time';
  return { bindAddress, listen: listenOf(bindAddress, grpc), threadiness, capacity, timeField };
}

function listenOf(bindAddress: string, grpc: Record<string, unknown>): GrpcListen {
  if (bindAddress.startsWith(UNIX)) {
    const path = bindAddress.slice(UNIX.length);
    if (!path) throw new ConfigError(`config: grpc.bind_address '${bindAddress}' names no socket file (e.g. unix:///run/falco/falco.sock)`);
    return { kind: 'unix', path };
  }
  const m = /^(\[[^\]]+\]|[^:/\s[\]]+):(\d{1,5})$/.exec(bindAddress);
  const port = Number(m?.[2]);
  if (!m || port > 65535) {
    throw new ConfigError(`config: grpc.bind_address must be 'unix:///path/to.sock' or 'host:port' (e.g. 0.0.0.0:5060), not '${bindAddress}'`);
  }
  // Over the network Falco only serves mutual TLS; so does falcoc (no unauthenticated TCP).
  const file = (key: 'private_key' | 'cert_chain' | 'root_certs'): string => {
    const v = grpc[key];
    if (typeof v !== 'string' || v === '') {
      throw new ConfigError(
        `config: grpc.${key} must name a PEM file: a TCP grpc.bind_address ('${bindAddress}') requires mutual TLS ` +
          '(grpc.private_key, grpc.cert_chain, grpc.root_certs); use a unix:// address for a local unauthenticated socket',
      );
    }
    return v;
  };
  const tls = { privateKey: file('private_key'), certChain: file('cert_chain'), rootCerts: file('root_certs') };
  return { kind: 'tcp', host: m[1]!, port, tls };
}
