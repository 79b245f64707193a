// A flyweight view over one event in a buffer (scap/ppm layout): header, parameter lengths,
// parameters. Nothing is decoded until asked for, and re-pointing the view at the next event
// allocates nothing, so the same object walks a whole capture or ring buffer.
//
// Layout: ts u64, tid u64, len u32, type u16, nparams u32 (26 bytes), then nparams lengths
// (u16, or u32 for LARGE_PAYLOAD events), then the parameter bytes.
import { EVENTS } from './event-table.ts';
import type { EventParamInfo } from './event-info.ts';

export const EVENT_HEADER_SIZE = 26;
/** More parameters than any event type has: the record is corrupt. */
const MAX_PARAMS = 64;

interface TypeInfo {
  name: string;
  large: boolean;
  params: readonly EventParamInfo[];
}

const TYPES: TypeInfo[] = EVENTS.map((e) => ({ name: e.name, large: e.flags.includes('LARGE_PAYLOAD'), params: e.params }));

export function eventTypeInfo(type: number): TypeInfo | undefined {
  return TYPES[type];
}

/** A malformed event: the message says what is wrong; the owner adds the byte offset. */
export class EventFormatError extends Error {}

export class EventView {
  private u8: Uint8Array = new Uint8Array(0);
  private buf: Buffer = Buffer.alloc(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private base = 0;
  private le = true;
  /** Event type (ppm event code). */
  type = 0;
  nparams = 0;
  /** Total length of the event in bytes, header included. */
  length = 0;
  private info: TypeInfo | undefined;
  /** Start of each parameter (absolute offsets), computed on first use. */
  private offsets = new Int32Array(34);
  private offsetsReady = false;
  /**
   * String parameters already decoded from the current event: the state parser and several
   * fields (evt.arg.name, fs.path.*, …) often read the same one. A slot is valid when its
   * stamp is the current event's number (views are re-pointed, never re-filled in place).
   */
  private readonly decoded: string[] = new Array<string>(MAX_PARAMS).fill('');
  private readonly decodedAt = new Float64Array(MAX_PARAMS);
  private eventNumber = 0;

  /** Changes with every event the view is pointed at: a key for per-event caches. */
  get serial(): number {
    return this.eventNumber;
  }

  /** Points the view at the event at `offset` in `data`; validates the header against `limit` bytes. */
  reset(data: Uint8Array, offset: number, limit: number, littleEndian = true): void {
    this.eventNumber++;
    if (data !== this.u8) {
      this.u8 = data;
      this.buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    }
    this.base = offset;
    this.le = littleEndian;
    if (limit < EVENT_HEADER_SIZE) throw new EventFormatError(`event of ${limit} bytes is shorter than its ${EVENT_HEADER_SIZE}-byte header`);
    this.length = this.dv.getUint32(offset + 16, littleEndian);
    this.type = this.dv.getUint16(offset + 20, littleEndian);
    this.nparams = this.dv.getUint32(offset + 22, littleEndian);
    if (this.length > limit || this.length < EVENT_HEADER_SIZE) {
      throw new EventFormatError(`event length ${this.length} does not fit its ${limit}-byte record`);
    }
    this.info = TYPES[this.type];
    const lensSize = this.nparams * (this.info?.large ? 4 : 2);
    if (this.nparams > MAX_PARAMS || EVENT_HEADER_SIZE + lensSize > this.length) {
      throw new EventFormatError(`event type ${this.type} claims ${this.nparams} parameters, more than its ${this.length} bytes hold`);
    }
    this.offsetsReady = false;
  }

  get name(): string {
    return this.info?.name ?? 'unknown';
  }

  get paramInfo(): readonly EventParamInfo[] {
    return this.info?.params ?? [];
  }

  /** Timestamp in ns since the epoch. */
  get ts(): bigint {
    return this.dv.getBigUint64(this.base, this.le);
  }

  /** Timestamp in ns as a float (exact to ~256 ns; for ordering and rates, not for output). */
  get tsApprox(): number {
    const lo = this.dv.getUint32(this.base + (this.le ? 0 : 4), this.le);
    const hi = this.dv.getUint32(this.base + (this.le ? 4 : 0), this.le);
    return hi * 4294967296 + lo;
  }

  /** Thread id (an int64 in the record; thread ids fit in a double). */
  get tid(): number {
    const lo = this.dv.getUint32(this.base + 8 + (this.le ? 0 : 4), this.le);
    const hi = this.dv.getInt32(this.base + 8 + (this.le ? 4 : 0), this.le);
    return hi * 4294967296 + lo;
  }

  private computeOffsets(): void {
    const large = this.info?.large === true;
    const lensAt = this.base + EVENT_HEADER_SIZE;
    let at = lensAt + this.nparams * (large ? 4 : 2);
    const end = this.base + this.length;
    if (this.offsets.length < this.nparams + 1) this.offsets = new Int32Array(this.nparams + 1);
    for (let i = 0; i < this.nparams; i++) {
      this.offsets[i] = at;
      at += large ? this.dv.getUint32(lensAt + 4 * i, this.le) : this.dv.getUint16(lensAt + 2 * i, this.le);
      if (at > end) throw new EventFormatError(`event type ${this.type}: parameter ${i} runs past the end of the event`);
    }
    this.offsets[this.nparams] = at;
    this.offsetsReady = true;
  }

  /** Byte length of parameter i (0 when absent or empty). */
  paramLength(i: number): number {
    if (i >= this.nparams) return 0;
    if (!this.offsetsReady) this.computeOffsets();
    return this.offsets[i + 1]! - this.offsets[i]!;
  }

  private at(i: number): number {
    if (!this.offsetsReady) this.computeOffsets();
    return this.offsets[i]!;
  }

  /** Integer parameter as a number, by its stored width (1, 2, 4 or 8 bytes); signed per `signed`. */
  int(i: number, signed = true): number {
    // The hottest call of state updates: one offsets check, both bounds read once.
    if (i >= this.nparams) return 0;
    if (!this.offsetsReady) this.computeOffsets();
    const o = this.offsets[i]!;
    switch (this.offsets[i + 1]! - o) {
      case 1:
        return signed ? this.dv.getInt8(o) : this.dv.getUint8(o);
      case 2:
        return signed ? this.dv.getInt16(o, this.le) : this.dv.getUint16(o, this.le);
      case 4:
        return signed ? this.dv.getInt32(o, this.le) : this.dv.getUint32(o, this.le);
      case 8: {
        const lo = this.dv.getUint32(o + (this.le ? 0 : 4), this.le);
        const hi = signed ? this.dv.getInt32(o + (this.le ? 4 : 0), this.le) : this.dv.getUint32(o + (this.le ? 4 : 0), this.le);
        return hi * 4294967296 + lo;
      }
      default:
        return 0;
    }
  }

  /** Integer parameter as a bigint (exact for 64-bit values). */
  bigint(i: number, signed = true): bigint {
    const len = this.paramLength(i);
    const o = this.at(i);
    if (len === 8) return signed ? this.dv.getBigInt64(o, this.le) : this.dv.getBigUint64(o, this.le);
    return BigInt(this.int(i, signed));
  }

  /** String parameter (CHARBUF/FSPATH…): bytes up to the first NUL, as a byte string. */
  str(i: number): string {
    const len = this.paramLength(i);
    if (len === 0) return '';
    if (this.decodedAt[i] === this.eventNumber) return this.decoded[i]!;
    const o = this.at(i);
    const limit = o + len;
    let end = o;
    while (end < limit && this.u8[end] !== 0) end++;
    const s = this.buf.toString('latin1', o, end);
    this.decoded[i] = s;
    this.decodedAt[i] = this.eventNumber;
    return s;
  }

  /** Raw bytes of parameter i (a view, valid while the event is). */
  bytes(i: number): Uint8Array {
    const len = this.paramLength(i);
    const o = this.at(i);
    return this.u8.subarray(o, o + len);
  }

  /** Raw bytes of parameter i as a byte string. */
  text(i: number): string {
    const len = this.paramLength(i);
    const o = this.at(i);
    return this.buf.toString('latin1', o, o + len);
  }

  /** NUL-separated strings (args, env, cgroups), without the trailing empty one. */
  strings(i: number): string[] {
    const t = this.text(i);
    if (t === '') return [];
    const parts = t.split('\0');
    if (parts[parts.length - 1] === '') parts.pop();
    return parts;
  }

  /** Index of the parameter called `name` in this event type, or -1. */
  paramIndex(name: string): number {
    const params = this.info?.params;
    if (!params) return -1;
    for (let i = 0; i < params.length; i++) if (params[i]!.name === name) return i;
    return -1;
  }

  /** Offset of the event in its buffer and the buffer (for copying it whole). */
  get offset(): number {
    return this.base;
  }
  get data(): Uint8Array {
    return this.u8;
  }
  get littleEndian(): boolean {
    return this.le;
  }
}
