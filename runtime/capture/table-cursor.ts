// A bounds-checked reader over the body of one table block (process, fd, user, interface
// lists). Every read checks the bytes are there first, so a corrupt length inside a table
// becomes a CaptureError at the right offset instead of a RangeError from DataView.
import { CaptureError } from './capture-error.ts';

export class TableCursor {
  /** Start of the entry being read (absolute offset), for messages. */
  entryStart = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    /** Current position in `bytes`. */
    public pos: number,
    /** End of the block body in `bytes` (exclusive; the trailer starts here). */
    readonly end: number,
    /** Absolute stream offset of `bytes[0]`. */
    private readonly base: number,
    readonly littleEndian: boolean,
    /** "process list block at byte N", for messages. */
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Absolute stream offset of the current position. */
  get offset(): number {
    return this.base + this.pos;
  }

  beginEntry(): void {
    this.entryStart = this.pos;
  }

  /** Bytes read since beginEntry(). */
  get entryRead(): number {
    return this.pos - this.entryStart;
  }

  fail(problem: string, at = this.pos): never {
    throw new CaptureError(`${this.what}: entry at byte ${this.base + this.entryStart}: ${problem}`, this.base + at);
  }

  private need(n: number, field: string): void {
    if (this.end - this.pos < n) {
      this.fail(`${field} needs ${n} bytes but only ${Math.max(0, this.end - this.pos)} are left in the block`);
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.pos++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  i64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigInt64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  u64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigUint64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  /** A copy of the next n bytes (a plain Uint8Array: the block's buffer gets reused). */
  copy(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = new Uint8Array(n);
    out.set(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /** The next n bytes as a byte string. */
  latin1(n: number, field: string): string {
    this.need(n, field);
    const s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, n).toString('latin1');
    this.pos += n;
    return s;
  }

  /**
   * A u16-length-prefixed string, as libscap stores them (no NUL). `max` is the largest length
   * libscap accepts for this field; longer ones are corrupt.
   */
  lengthPrefixed(field: string, max: number): string {
    const lengthAt = this.pos;
    const n = this.u16(`${field} length`);
    if (n > max) this.fail(`${field} length ${n} is impossible (at most ${max})`, lengthAt);
    return this.latin1(n, field);
  }

  /**
   * A length-prefixed C string (comm, exe, paths, names): libscap copies it into a char array
   * and libsinsp reads that up to its first NUL, so bytes after an inner NUL are not part of it.
   */
  lengthPrefixedC(field: string, max: number): string {
    const s = this.lengthPrefixed(field, max);
    const nul = s.indexOf('\0');
    return nul < 0 ? s : s.slice(0, nul);
  }

  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }
}

/** Splits a NUL-separated list (args, env, cgroups); a trailing NUL ends the last entry. */
export function splitNulList(s: string): string[] {
  if (s === '') return [];
  const parts = s.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Bytes up to the first NUL (or all of them) as a byte string. */
export function cString(bytes: Uint8Array): string {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1');
}
