// A growable byte buffer with typed writes in a chosen byte order: the encoders of the table
// blocks build a block body in one of these, then the capture writer frames it.

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(
    readonly littleEndian: boolean,
    initialSize = 4096,
  ) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v & 0xff;
  }

  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, v & 0xffff, this.littleEndian);
    this.length += 2;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0, this.littleEndian);
    this.length += 4;
  }

  /** A 64-bit value; negative values are written in two's complement. */
  u64(v: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt.asUintN(64, v), this.littleEndian);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** A byte string (one byte per UTF-16 unit), at most `max` bytes of it. */
  latin1(s: string, max = Infinity): void {
    const n = Math.min(s.length, max);
    this.reserve(n);
    for (let i = 0; i < n; i++) this.buf[this.length + i] = s.charCodeAt(i) & 0xff;
    this.length += n;
  }

  /** libscap's string field: u16 length, then the bytes (no NUL), truncated to `max` bytes. */
  lengthPrefixed(s: string, max: number): void {
    const n = Math.min(s.length, max);
    this.u16(n);
    this.latin1(s, n);
  }

  zeros(n: number): void {
    this.reserve(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }

  /** Overwrites a u32 written earlier (length fields known only after the entry). */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, this.littleEndian);
  }

  /** The bytes written so far (a view, valid until the next write). */
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/** Joins entries into libscap's NUL-separated list form, each entry NUL-terminated. */
export function joinNulList(items: readonly string[]): string {
  let s = '';
  for (const item of items) s += item + '\0';
  return s;
}
