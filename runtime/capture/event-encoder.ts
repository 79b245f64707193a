// Builds scap/ppm events from parameter values, following the event table: header (ts,
// tid, len, type, nparams), parameter lengths (u16, or u32 for LARGE_PAYLOAD types), then
// the parameters. For the synthetic-capture generator and for tests; the runtime never
// encodes events.
import { EVENTS } from '../events/event-table.ts';
import { EVENT_HEADER_SIZE } from './block-types.ts';

/** A parameter value: integers for fixed-size types, strings/bytes for the others, null = empty. */
export type ParamValue = bigint | number | string | Uint8Array | null;

/** Stored size of the fixed-size parameter types (PT_*); the others are variable-length. */
const FIXED_SIZES: Readonly<Record<string, number>> = {
  INT8: 1, UINT8: 1, FLAGS8: 1, ENUMFLAGS8: 1, SIGTYPE: 1, L4PROTO: 1, SOCKFAMILY: 1,
  INT16: 2, UINT16: 2, FLAGS16: 2, ENUMFLAGS16: 2, PORT: 2, SYSCALLID: 2,
  INT32: 4, UINT32: 4, FLAGS32: 4, ENUMFLAGS32: 4, UID: 4, GID: 4, MODE: 4, BOOL: 4, IPV4ADDR: 4, SIGSET: 4, FD32: 4, PID32: 4,
  INT64: 8, UINT64: 8, ERRNO: 8, FD: 8, PID: 8, RELTIME: 8, ABSTIME: 8, DOUBLE: 8,
};
/** String types: a JS string is stored NUL-terminated. */
const C_STRINGS = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH']);

export class EventEncoder {
  private buf = new Uint8Array(64 * 1024);
  private view = new DataView(this.buf.buffer);

  constructor(readonly littleEndian = true) {}

  /**
   * Encodes an event with its parameters in table order. Returns a view into a buffer the
   * next call reuses.
   */
  encode(ts: bigint, tid: bigint, type: number, params: readonly ParamValue[]): Uint8Array {
    const info = EVENTS[type];
    if (!info) throw new Error(`unknown event type ${type}`);
    if (params.length !== info.params.length) {
      throw new Error(`${info.enum} takes ${info.params.length} parameters, ${params.length} given`);
    }
    const le = this.littleEndian;
    const large = info.flags.includes('LARGE_PAYLOAD');
    const lenSize = large ? 4 : 2;
    let at = EVENT_HEADER_SIZE + lenSize * params.length;
    this.reserve(at);
    for (let i = 0; i < params.length; i++) {
      const start = at;
      at = this.put(at, info.params[i]!.type, params[i] as ParamValue, `${info.enum} parameter ${info.params[i]!.name}`);
      const n = at - start;
      if (large) this.view.setUint32(EVENT_HEADER_SIZE + 4 * i, n, le);
      else if (n > 0xffff) throw new Error(`${info.enum} parameter ${info.params[i]!.name}: ${n} bytes do not fit a u16 length`);
      else this.view.setUint16(EVENT_HEADER_SIZE + 2 * i, n, le);
    }
    this.view.setBigUint64(0, BigInt.asUintN(64, ts), le);
    this.view.setBigUint64(8, BigInt.asUintN(64, tid), le);
    this.view.setUint32(16, at, le);
    this.view.setUint16(20, type, le);
    this.view.setUint32(22, params.length, le);
    return this.buf.subarray(0, at);
  }

  /** Encodes by parameter name; missing fixed-size parameters are 0, missing others empty. */
  encodeNamed(ts: bigint, tid: bigint, type: number, values: Readonly<Record<string, ParamValue>>): Uint8Array {
    const info = EVENTS[type];
    if (!info) throw new Error(`unknown event type ${type}`);
    for (const name of Object.keys(values)) {
      if (!info.params.some((p) => p.name === name)) throw new Error(`${info.enum} has no parameter ${name}`);
    }
    const params = info.params.map((p) => values[p.name] ?? (FIXED_SIZES[p.type] !== undefined ? 0 : null));
    return this.encode(ts, tid, type, params);
  }

  private put(at: number, type: string, value: ParamValue, what: string): number {
    const le = this.littleEndian;
    if (value === null) return at;
    const size = FIXED_SIZES[type];
    if (size !== undefined) {
      if (typeof value !== 'number' && typeof value !== 'bigint') throw new Error(`${what}: ${type} needs a number`);
      this.reserve(at + size);
      if (type === 'DOUBLE') this.view.setFloat64(at, Number(value), le);
      else if (size === 8) this.view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), le);
      else if (size === 4) this.view.setUint32(at, Number(BigInt.asUintN(32, BigInt(value))), le);
      else if (size === 2) this.view.setUint16(at, Number(BigInt.asUintN(16, BigInt(value))), le);
      else this.view.setUint8(at, Number(BigInt.asUintN(8, BigInt(value))));
      return at + size;
    }
    if (typeof value === 'number' || typeof value === 'bigint') throw new Error(`${what}: ${type} needs a string or bytes`);
    if (typeof value === 'string') {
      const nul = C_STRINGS.has(type) ? 1 : 0;
      this.reserve(at + value.length + nul);
      for (let i = 0; i < value.length; i++) this.buf[at + i] = value.charCodeAt(i) & 0xff;
      at += value.length;
      if (nul) this.buf[at++] = 0;
      return at;
    }
    this.reserve(at + value.length);
    this.buf.set(value, at);
    return at + value.length;
  }

  private reserve(n: number): void {
    if (n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}
