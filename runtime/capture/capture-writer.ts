// CaptureWriter: writes a .scap capture in the layout current libscap writes (and so current
// Falco reads): section header, then machine info, interface list (v2), user list (v2),
// process list (v9), one fd list (v2) per thread, then event blocks (EV/EVF v2, their LARGE
// variants when the event needs it). Call the table writers in that order, then events.
// Output is buffered in 1 MiB pieces; writeEvent() returns false when the destination is
// backed up, after which the caller should `await writer.drain()` (as with Node streams).
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { pipeline, type Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { EventSlice, FdRecord, GroupRecord, InterfaceRecord, MachineInfo, ThreadRecord, UserRecord } from './capture-types.ts';
import { CaptureError } from './capture-error.ts';
import {
  BYTE_ORDER_MAGIC,
  DUMP_FLAG_LARGE,
  EVENT_BUFFER_SIZE,
  EVENT_FLAGS_V2,
  EVENT_FLAGS_V2_LARGE,
  EVENT_HEADER_SIZE,
  EVENT_V2,
  EVENT_V2_LARGE,
  FD_LIST_V2,
  FORMAT_MAJOR,
  FORMAT_MINOR,
  INTERFACE_LIST_V2,
  MACHINE_INFO,
  PROCESS_LIST_V9,
  SECTION_HEADER,
  USER_LIST_V2,
  padTo4,
} from './block-types.ts';
import { EVENTS } from '../events/event-table.ts';
import { ByteWriter } from './byte-writer.ts';
import { writeMachineInfo } from './machine-info-block.ts';
import { writeProcessListEntry } from './process-list-block.ts';
import { writeFdList } from './fd-list-block.ts';
import { writeUserList } from './user-list-block.ts';
import { writeInterfaceList } from './interface-list-block.ts';

export interface CaptureWriterOptions {
  /** Compress the output with gzip (Falco reads both). Default false. */
  gzip?: boolean;
  /** zlib compression level when gzip is on (default 6, zlib's default). */
  gzipLevel?: number;
  /** Byte order of the file (default little-endian). Events must be encoded in the same order. */
  littleEndian?: boolean;
  /** Size of the output buffer (default 1 MiB). */
  bufferSize?: number;
}

/** Event types whose parameter lengths are u32: sinsp dumps them in LARGE blocks. */
const LARGE_TYPES: readonly boolean[] = EVENTS.map((e) => e.flags.includes('LARGE_PAYLOAD'));
const DEFAULT_BUFFER = 1024 * 1024;

export class CaptureWriter {
  readonly littleEndian: boolean;
  private readonly head: Writable;
  private readonly done: Promise<void>;
  private failure: Error | undefined;
  private out: Buffer;
  private outView: DataView;
  private outPos = 0;
  private readonly bufferSize: number;
  private readonly table: ByteWriter;
  private written = 0;
  private closed = false;

  /**
   * Opens `target` (a path, or a stream the writer ends on close) and writes the section header.
   */
  constructor(target: string | Writable, options: CaptureWriterOptions = {}) {
    this.littleEndian = options.littleEndian ?? true;
    this.bufferSize = options.bufferSize ?? DEFAULT_BUFFER;
    this.out = Buffer.allocUnsafe(this.bufferSize);
    this.outView = new DataView(this.out.buffer, this.out.byteOffset, this.out.byteLength);
    this.table = new ByteWriter(this.littleEndian);
    const sink = typeof target === 'string' ? createWriteStream(target) : target;
    const onError = (err: Error): void => {
      this.failure ??= err;
    };
    sink.on('error', onError);
    if (options.gzip) {
      const gzip = createGzip({ level: options.gzipLevel ?? 6 });
      // pipeline, not pipe: a gzip failure must also fail (and so settle) the destination.
      pipeline(gzip, sink, (err) => {
        if (err) onError(err);
      });
      this.head = gzip;
    } else {
      this.head = sink;
    }
    // Resolves when everything reached the destination (a file: once it is closed).
    this.done = finished(sink).then(
      () => undefined,
      (err: Error) => {
        this.failure ??= err;
      },
    );
    this.writeSectionHeader();
  }

  /** Bytes of capture written so far (before compression). */
  get bytesWritten(): number {
    return this.written + this.outPos;
  }

  private writeSectionHeader(): void {
    const w = this.table;
    w.reset();
    w.u32(BYTE_ORDER_MAGIC);
    w.u16(FORMAT_MAJOR);
    w.u16(FORMAT_MINOR);
    w.u64(-1n); // section length: unknown, as libscap writes it
    this.writeBlock(SECTION_HEADER, w.result());
  }

  writeMachineInfo(info: MachineInfo): void {
    this.table.reset();
    writeMachineInfo(this.table, info);
    this.writeBlock(MACHINE_INFO, this.table.result());
  }

  writeInterfaces(interfaces: readonly InterfaceRecord[]): void {
    this.table.reset();
    writeInterfaceList(this.table, interfaces);
    this.writeBlock(INTERFACE_LIST_V2, this.table.result());
  }

  writeUsers(users: readonly UserRecord[], groups: readonly GroupRecord[]): void {
    this.table.reset();
    writeUserList(this.table, users, groups);
    this.writeBlock(USER_LIST_V2, this.table.result());
  }

  /** The process list, one block for all threads (libscap writes none when the list is empty). */
  writeThreads(threads: readonly ThreadRecord[]): void {
    if (threads.length === 0) return;
    this.table.reset();
    for (const t of threads) writeProcessListEntry(this.table, t);
    this.writeBlock(PROCESS_LIST_V9, this.table.result());
  }

  /** One fd list block for thread `tid` (libscap writes one per thread, empty ones included). */
  writeFdList(tid: bigint, fds: readonly FdRecord[]): void {
    this.table.reset();
    writeFdList(this.table, tid, fds);
    this.writeBlock(FD_LIST_V2, this.table.result());
  }

  /** Fd list blocks for all the fds given, one block per thread in order of first appearance. */
  writeFds(fds: readonly FdRecord[]): void {
    const byTid = new Map<bigint, FdRecord[]>();
    for (const fd of fds) {
      const list = byTid.get(fd.tid);
      if (list) list.push(fd);
      else byTid.set(fd.tid, [fd]);
    }
    for (const [tid, list] of byTid) this.writeFdList(tid, list);
  }

  /**
   * Writes one event block. `data[offset…]` holds the event (header, lengths, parameters) in
   * the file's byte order; its length is read from its header (pass `length` to have it
   * checked). `flags` are dump flags: non-zero flags give an EVF block; DUMP_FLAG_LARGE (or a
   * LARGE_PAYLOAD event type, or an event too big for libscap's 64 KiB buffer) a LARGE one.
   * Returns false when the destination is backed up: `await drain()` before writing more.
   */
  writeEvent(data: Uint8Array, offset = 0, length?: number, cpu = 0, flags = 0): boolean {
    const le = this.littleEndian;
    if (offset < 0 || data.length - offset < EVENT_HEADER_SIZE) {
      throw new CaptureError(`cannot write event: fewer than ${EVENT_HEADER_SIZE} bytes at offset ${offset} of its buffer`, this.bytesWritten);
    }
    const evLen = readU32(data, offset + 16, le);
    if ((length !== undefined && length !== evLen) || evLen < EVENT_HEADER_SIZE || evLen > data.length - offset) {
      throw new CaptureError(
        `cannot write event: its header says ${evLen} bytes but ${length ?? data.length - offset} were given (wrong byte order?)`,
        this.bytesWritten,
      );
    }
    const evType = le ? data[offset + 20]! | (data[offset + 21]! << 8) : (data[offset + 20]! << 8) | data[offset + 21]!;
    const fileFlags = flags & ~DUMP_FLAG_LARGE;
    const prefix = fileFlags !== 0 ? 6 : 2;
    const total = padTo4(8 + prefix + evLen + 4);
    const large = (flags & DUMP_FLAG_LARGE) !== 0 || LARGE_TYPES[evType] === true || total - 8 > EVENT_BUFFER_SIZE;
    const type = fileFlags !== 0 ? (large ? EVENT_FLAGS_V2_LARGE : EVENT_FLAGS_V2) : large ? EVENT_V2_LARGE : EVENT_V2;
    this.reserve(total);
    const view = this.outView;
    let p = this.outPos;
    view.setUint32(p, type, le);
    view.setUint32(p + 4, total, le);
    view.setUint16(p + 8, cpu, le);
    p += 10;
    if (fileFlags !== 0) {
      view.setUint32(p, fileFlags >>> 0, le);
      p += 4;
    }
    if (Buffer.isBuffer(data)) data.copy(this.out, p, offset, offset + evLen);
    else this.out.set(data.subarray(offset, offset + evLen), p);
    p += evLen;
    const end = this.outPos + total - 4;
    while (p < end) this.out[p++] = 0;
    view.setUint32(p, total, le);
    this.outPos += total;
    return !this.head.writableNeedDrain;
  }

  /** Writes an event as the reader handed it (same cpu and flags). */
  writeEventSlice(slice: EventSlice): boolean {
    if (slice.littleEndian !== this.littleEndian) {
      throw new CaptureError(`cannot write a ${slice.littleEndian ? 'little' : 'big'}-endian event into a ${this.littleEndian ? 'little' : 'big'}-endian capture`, this.bytesWritten);
    }
    return this.writeEvent(slice.data, slice.offset, slice.length, slice.cpu, slice.flags);
  }

  /** Resolves once the destination is no longer backed up (cheap when it is not). */
  async drain(): Promise<void> {
    while (this.head.writableNeedDrain && !this.failure) {
      await new Promise<void>((resolve) => {
        const go = (): void => {
          this.head.off('drain', go);
          this.head.off('error', go);
          this.head.off('close', go);
          resolve();
        };
        this.head.once('drain', go);
        this.head.once('error', go);
        this.head.once('close', go);
      });
    }
    if (this.failure) throw this.failure;
  }

  /** Flushes, ends the destination and resolves when it is complete (a file: closed). */
  async close(): Promise<void> {
    if (this.closed) return this.done.then(() => this.check());
    this.closed = true;
    this.flush();
    this.head.end();
    await this.done;
    this.check();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Frames `body` as a block: header, body, padding, trailer. */
  private writeBlock(type: number, body: Uint8Array): void {
    const total = padTo4(8 + body.length + 4);
    this.reserve(total);
    const p = this.outPos;
    this.outView.setUint32(p, type, this.littleEndian);
    this.outView.setUint32(p + 4, total, this.littleEndian);
    this.out.set(body, p + 8);
    this.out.fill(0, p + 8 + body.length, p + total - 4);
    this.outView.setUint32(p + total - 4, total, this.littleEndian);
    this.outPos += total;
  }

  /** Makes room for `n` bytes in the output buffer. */
  private reserve(n: number): void {
    if (this.closed) throw new CaptureError('cannot write to a closed capture writer', this.bytesWritten);
    if (this.failure) throw this.failure;
    if (this.outPos + n <= this.out.length) return;
    this.flush();
    if (n > this.out.length) {
      this.out = Buffer.allocUnsafe(n);
      this.outView = new DataView(this.out.buffer, this.out.byteOffset, this.out.byteLength);
    }
  }

  /** Hands the buffered bytes to the destination (which keeps them: start a new buffer). */
  private flush(): void {
    if (this.outPos === 0) return;
    this.head.write(this.out.subarray(0, this.outPos));
    this.written += this.outPos;
    this.out = Buffer.allocUnsafe(this.bufferSize);
    this.outView = new DataView(this.out.buffer, this.out.byteOffset, this.out.byteLength);
    this.outPos = 0;
  }
}

function readU32(b: Uint8Array, at: number, le: boolean): number {
  return le
    ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
    : ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
