// The block parser behind readCapture: fed the (decompressed) capture in chunks of any size,
// it walks the blocks in place and calls the handlers. Events are handed out as views into
// the chunk through one reused EventSlice; only a block that straddles two chunks is copied
// (into a scratch buffer that grows with the data actually received, so a corrupt length
// cannot make it allocate more than the file holds).
import type {
  EventSlice,
  FdRecord,
  GroupRecord,
  InterfaceRecord,
  MachineInfo,
  SectionHeader,
  ThreadRecord,
  UserRecord,
} from './capture-types.ts';
import { CaptureError } from './capture-error.ts';
import {
  BYTE_ORDER_MAGIC,
  BYTE_ORDER_MAGIC_SWAPPED,
  EVENT_FLAGS_V1,
  EVENT_FLAGS_V2,
  EVENT_FLAGS_V2_LARGE,
  EVENT_HEADER_SIZE,
  EVENT_HEADER_SIZE_V1,
  EVENT_V1,
  EVENT_V1_INT,
  EVENT_V2,
  EVENT_V2_LARGE,
  FD_LIST,
  FD_LIST_INT,
  FD_LIST_V2,
  FORMAT_MAJOR,
  INTERFACE_LIST,
  INTERFACE_LIST_INT,
  INTERFACE_LIST_V2,
  MACHINE_INFO,
  MACHINE_INFO_INT,
  MIN_BLOCK_SIZE,
  PROCESS_LIST_VERSIONS,
  SECTION_HEADER,
  SECTION_HEADER_MIN_SIZE,
  USER_LIST,
  USER_LIST_INT,
  USER_LIST_V2,
  blockName,
  isEventBlock,
} from './block-types.ts';
import { EVENT_CODE_COUNT } from '../events/event-index.ts';
import { TableCursor } from './table-cursor.ts';
import { readMachineInfo } from './machine-info-block.ts';
import { readProcessList } from './process-list-block.ts';
import { readFdList } from './fd-list-block.ts';
import { readUserList } from './user-list-block.ts';
import { readInterfaceList } from './interface-list-block.ts';
import { upgradeV1Event, V1_OVERSTATED_TYPES } from './event-v1.ts';

export interface UnknownBlock {
  type: number;
  /** Stream offset of the block. */
  offset: number;
  length: number;
}

/** What readCapture reports, in file order. Every handler is optional. */
export interface CaptureHandlers {
  /** A section header (once per section; most files have one). `offset` is its stream offset. */
  section?(header: SectionHeader, offset: number): void;
  machineInfo?(info: MachineInfo): void;
  thread?(thread: ThreadRecord): void;
  fd?(fd: FdRecord): void;
  user?(user: UserRecord): void;
  group?(group: GroupRecord): void;
  networkInterface?(iface: InterfaceRecord): void;
  /** The tables of the section are complete: called before its first event (or at its end). */
  tablesDone?(): void;
  /**
   * One event. The slice object and the bytes it points at are reused: copy what must
   * outlive the call. Return `false` to stop reading.
   */
  event?(slice: EventSlice): boolean | void;
  /** A block of a type this reader does not know; it is skipped, as libscap does. */
  unknownBlock?(block: UnknownBlock): void;
}

const DEFAULT_MAX_BLOCK = 256 * 1024 * 1024;
const INITIAL_SCRATCH = 64 * 1024;

export class CaptureParser {
  events = 0;
  /** Events of types this build does not know (newer than its event table); libscap skips them too. */
  skippedEvents = 0;
  blocks = 0;
  sections = 0;
  stopped = false;
  /** Stream offset of the next byte push() will receive. */
  offset = 0;

  /** Byte order of the current section; undefined until the first section header. */
  private le: boolean | undefined;
  private tablesReported = false;
  /** Type and byte order of the block whose header was read last. */
  private blockType = 0;
  private blockLE = true;

  /** The incomplete block at the end of the last chunk. */
  private carry = Buffer.allocUnsafe(INITIAL_SCRATCH);
  private carryView = new DataView(this.carry.buffer, this.carry.byteOffset, this.carry.byteLength);
  private carryLen = 0;
  private carryStart = 0;

  /** Old-format events are upgraded into this buffer. */
  private upgraded = Buffer.allocUnsafe(INITIAL_SCRATCH);
  private upgradedView = new DataView(this.upgraded.buffer, this.upgraded.byteOffset, this.upgraded.byteLength);

  private readonly slice: EventSlice & { view: DataView } = {
    data: this.carry,
    offset: 0,
    length: 0,
    cpu: 0,
    flags: 0,
    blockOffset: 0,
    littleEndian: true,
    view: this.carryView,
  };

  constructor(
    private readonly handlers: CaptureHandlers,
    private readonly maxBlockSize = DEFAULT_MAX_BLOCK,
  ) {}

  /** Parses the next chunk of the stream. Returns false once a handler asked to stop. */
  push(chunk: Buffer): boolean {
    if (this.stopped) return false;
    const base = this.offset;
    let pos = 0;
    if (this.carryLen > 0) {
      pos = this.completeCarry(chunk);
      if (pos < 0 || this.stopped) {
        this.offset += chunk.length;
        return !this.stopped;
      }
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = chunk.length;
    while (end - pos >= MIN_BLOCK_SIZE) {
      const len = this.readHeader(view, pos, base + pos);
      if (end - pos < len) break;
      this.processBlock(chunk, view, pos, len, base + pos);
      pos += len;
      if (this.stopped) break;
    }
    if (!this.stopped && pos < end) {
      this.carryStart = base + pos;
      this.carryLen = 0;
      this.append(chunk, pos, end);
    }
    this.offset += chunk.length;
    return !this.stopped;
  }

  /** The stream ended: anything left over is a truncated block. */
  end(): void {
    if (this.stopped) return;
    if (this.carryLen > 0) {
      const at = this.carryStart;
      if (this.carryLen < MIN_BLOCK_SIZE) {
        throw new CaptureError(`block at byte ${at}: the file ends ${this.carryLen} bytes into its header (is it truncated?)`, at);
      }
      const len = this.readHeader(this.carryView, 0, at);
      throw new CaptureError(
        `${blockName(this.blockType)} at byte ${at}: length ${len} points past the end of the file, which has ${this.carryLen} bytes left (is it truncated?)`,
        at,
      );
    }
    if (this.le === undefined) throw new CaptureError('the file is empty (no section header at byte 0): not a scap capture', 0);
    if (!this.tablesReported) {
      this.tablesReported = true;
      this.handlers.tablesDone?.();
    }
  }

  /** Completes the carried block with the start of `chunk`; returns where parsing resumes, or -1. */
  private completeCarry(chunk: Buffer): number {
    let used = 0;
    if (this.carryLen < MIN_BLOCK_SIZE) {
      used = Math.min(MIN_BLOCK_SIZE - this.carryLen, chunk.length);
      this.append(chunk, 0, used);
      if (this.carryLen < MIN_BLOCK_SIZE) return -1;
    }
    const len = this.readHeader(this.carryView, 0, this.carryStart);
    const missing = len - this.carryLen;
    if (missing > chunk.length - used) {
      this.append(chunk, used, chunk.length);
      return -1;
    }
    this.append(chunk, used, used + missing);
    this.carryLen = 0;
    this.processBlock(this.carry, this.carryView, 0, len, this.carryStart);
    return used + missing;
  }

  private append(src: Buffer, from: number, to: number): void {
    const need = this.carryLen + (to - from);
    if (need > this.carry.length) {
      let size = this.carry.length * 2;
      while (size < need) size *= 2;
      const next = Buffer.allocUnsafe(size);
      this.carry.copy(next, 0, 0, this.carryLen);
      this.carry = next;
      this.carryView = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    src.copy(this.carry, this.carryLen, from, to);
    this.carryLen = need;
  }

  /** Reads and checks a block header (12 bytes must be available); returns the block length. */
  private readHeader(view: DataView, pos: number, at: number): number {
    let le = this.le ?? true;
    // The section header's type reads the same in both byte orders; its magic tells which.
    const type = view.getUint32(pos, le);
    if (type === SECTION_HEADER) {
      const magic = view.getUint32(pos + 8, true);
      if (magic === BYTE_ORDER_MAGIC) le = true;
      else if (magic === BYTE_ORDER_MAGIC_SWAPPED) le = false;
      else {
        throw new CaptureError(
          `section header block at byte ${at}: byte-order magic 0x${magic.toString(16)} is not 0x1a2b3c4d in either byte order (not a scap capture?)`,
          at + 8,
        );
      }
    } else if (this.le === undefined) {
      throw new CaptureError(
        `not a scap capture: it must start with a section header block (type 0x0a0d0d0a) but byte ${at} holds type 0x${type.toString(16)} (bad magic)`,
        at,
      );
    }
    const len = view.getUint32(pos + 4, le);
    const min = type === SECTION_HEADER ? SECTION_HEADER_MIN_SIZE : MIN_BLOCK_SIZE;
    if (len < min) throw new CaptureError(`${blockName(type)} at byte ${at}: length ${len} is impossible (at least ${min})`, at + 4);
    if (len > this.maxBlockSize) {
      throw new CaptureError(`${blockName(type)} at byte ${at}: length ${len} exceeds the limit of ${this.maxBlockSize} bytes for one block`, at + 4);
    }
    this.blockType = type;
    this.blockLE = le;
    return len;
  }

  /** Handles the complete block at `buf[pos…pos+len)` whose header readHeader() just read. */
  private processBlock(buf: Buffer, view: DataView, pos: number, len: number, at: number): void {
    const type = this.blockType;
    const le = this.blockLE;
    const trailer = view.getUint32(pos + len - 4, le);
    if (trailer !== len) {
      throw new CaptureError(`${blockName(type)} at byte ${at}: length ${len} does not match its trailer ${trailer}`, at + len - 4);
    }
    this.blocks++;
    if (isEventBlock(type)) {
      this.event(buf, view, pos, len, at, type, le);
      return;
    }
    if (type === SECTION_HEADER) {
      this.section(view, pos, at, le);
      return;
    }
    this.tableBlock(buf, view, pos, len, at, type, le);
  }

  /**
   * The table blocks (machine, processes, fds, users, interfaces). Kept out of processBlock:
   * its closures capture the block's parameters, and V8 then allocates their context on
   * every call of the function that declares them, events included.
   */
  private tableBlock(buf: Buffer, view: DataView, pos: number, len: number, at: number, type: number, le: boolean): void {
    const what = `${blockName(type)} at byte ${at}`;
    const cursor = (): TableCursor => new TableCursor(buf, view, pos + 8, pos + len - 4, at - pos, le, what);
    const h = this.handlers;
    if (type === MACHINE_INFO || type === MACHINE_INFO_INT) {
      const info = readMachineInfo(buf, view, pos + 8, len - 12, at - pos, le);
      h.machineInfo?.(info);
      return;
    }
    const plVersion = PROCESS_LIST_VERSIONS.get(type);
    if (plVersion !== undefined) {
      readProcessList(cursor(), plVersion, (t) => h.thread?.(t));
    } else if (type === FD_LIST || type === FD_LIST_INT || type === FD_LIST_V2) {
      readFdList(cursor(), type === FD_LIST_V2, (fd) => h.fd?.(fd));
    } else if (type === USER_LIST || type === USER_LIST_INT || type === USER_LIST_V2) {
      readUserList(cursor(), type === USER_LIST_V2, (u) => h.user?.(u), (g) => h.group?.(g));
    } else if (type === INTERFACE_LIST || type === INTERFACE_LIST_INT || type === INTERFACE_LIST_V2) {
      readInterfaceList(cursor(), type === INTERFACE_LIST_V2, (i) => h.networkInterface?.(i));
    } else {
      h.unknownBlock?.({ type, offset: at, length: len });
    }
  }

  private section(view: DataView, pos: number, at: number, le: boolean): void {
    const major = view.getUint16(pos + 12, le);
    const minor = view.getUint16(pos + 14, le);
    if (major > FORMAT_MAJOR) {
      throw new CaptureError(`section header block at byte ${at}: format version ${major}.${minor} is newer than this reader (${FORMAT_MAJOR}.x)`, at + 12);
    }
    // A new section brings its own tables; finish the previous one first.
    if (this.le !== undefined && !this.tablesReported) this.handlers.tablesDone?.();
    this.le = le;
    this.sections++;
    this.tablesReported = false;
    this.handlers.section?.({ littleEndian: le, major, minor }, at);
  }

  private event(buf: Buffer, view: DataView, pos: number, len: number, at: number, type: number, le: boolean): void {
    const hasFlags = type === EVENT_FLAGS_V2 || type === EVENT_FLAGS_V2_LARGE || type === EVENT_FLAGS_V1;
    const v1 = type === EVENT_V1 || type === EVENT_V1_INT || type === EVENT_FLAGS_V1;
    const evAt = pos + (hasFlags ? 14 : 10);
    const room = pos + len - 4 - evAt;
    const headerSize = v1 ? EVENT_HEADER_SIZE_V1 : EVENT_HEADER_SIZE;
    if (room < headerSize) {
      throw new CaptureError(
        `event block at byte ${at}: its ${len} bytes cannot hold a cpu number${hasFlags ? ', flags' : ''} and a ${headerSize}-byte event header`,
        at,
      );
    }
    if (!this.tablesReported) {
      this.tablesReported = true;
      this.handlers.tablesDone?.();
    }
    let evLen = view.getUint32(evAt + 16, le);
    const evType = view.getUint16(evAt + 20, le);
    const s = this.slice;
    if (v1) {
      const overstated = V1_OVERSTATED_TYPES.has(evType);
      const trueLen = overstated ? evLen - 3 : evLen;
      this.checkEventLength(trueLen, room, headerSize, overstated ? 6 : 3, at, evAt + 16 + at - pos);
      if (evType >= EVENT_CODE_COUNT) {
        this.skippedEvents++;
        return;
      }
      if (this.upgraded.length < trueLen + 4) {
        this.upgraded = Buffer.allocUnsafe(Math.max(trueLen + 4, this.upgraded.length * 2));
        this.upgradedView = new DataView(this.upgraded.buffer, this.upgraded.byteOffset, this.upgraded.byteLength);
      }
      const r = upgradeV1Event(buf, evAt, trueLen, evType, le, this.upgraded, this.upgradedView);
      if (typeof r === 'string') {
        throw new CaptureError(`event block at byte ${at}: cannot upgrade its old-format event of type ${evType}: ${r}`, evAt + at - pos);
      }
      evLen = r;
      s.data = this.upgraded;
      s.view = this.upgradedView;
      s.offset = 0;
    } else {
      this.checkEventLength(evLen, room, headerSize, 3, at, evAt + 16 + at - pos);
      if (evType >= EVENT_CODE_COUNT) {
        this.skippedEvents++;
        return;
      }
      s.data = buf;
      s.view = view;
      s.offset = evAt;
    }
    s.length = evLen;
    s.cpu = view.getUint16(pos + 8, le);
    s.flags = hasFlags ? view.getUint32(pos + 10, le) : 0;
    s.blockOffset = at;
    s.littleEndian = le;
    this.events++;
    if (this.handlers.event?.(s) === false) this.stopped = true;
  }

  /** The event's own length must fill its block up to the padding. */
  private checkEventLength(evLen: number, room: number, headerSize: number, maxSlack: number, at: number, lenAt: number): void {
    if (evLen < headerSize || evLen > room || room - evLen > maxSlack) {
      throw new CaptureError(
        `event block at byte ${at}: the event's length ${evLen} disagrees with its block, which has room for ${room} bytes`,
        lenAt,
      );
    }
  }
}
