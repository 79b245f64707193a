// Fd list blocks (0x203 and 0x8001ABCD; 0x218 = v2): the open fds of one thread.
// Body: tid i64, then entries `[v2: entry length u32] fd i64, ino u64, type u8, info`, where
// info depends on the type: IPv4 socket sip, dip (4 bytes each), sport, dport u16, l4proto u8;
// IPv4 server socket ip, port, l4proto; IPv6 the same with 16-byte addresses; unix socket
// source, destination u64 and name; file_v2 open flags u32, name and (v2, when the entry
// length has room) dev u32; every other type a name. Names are u16 length + bytes.
import type { FdRecord, FdType } from './capture-types.ts';
import { MAX_PATH_SIZE } from './block-types.ts';
import type { TableCursor } from './table-cursor.ts';
import type { ByteWriter } from './byte-writer.ts';

/** scap_fd_type numbers, in order. */
export const FD_TYPES: readonly FdType[] = [
  'unknown', 'file', 'directory', 'ipv4_sock', 'ipv6_sock', 'ipv4_servsock', 'ipv6_servsock', 'fifo', 'unix_sock',
  'event', 'unsupported', 'signalfd', 'eventpoll', 'inotify', 'timerfd', 'netlink', 'file_v2', 'bpf', 'userfaultfd',
  'io_uring', 'memfd', 'pidfd',
];
const FD_TYPE_NUMBERS = new Map<FdType, number>(FD_TYPES.map((t, i) => [t, i]));

export function readFdList(c: TableCursor, v2: boolean, emit: (fd: FdRecord) => void): void {
  c.beginEntry();
  const tid = c.i64('tid');
  while (c.remaining >= 4) {
    c.beginEntry();
    const entryLength = v2 ? c.u32('entry length') : 0;
    const fd = c.i64('fd');
    const ino = c.u64('ino');
    const typeNumber = c.u8('type');
    const rec: FdRecord = { tid, fd, ino, type: FD_TYPES[typeNumber] ?? 'unsupported' };
    switch (rec.type) {
      case 'ipv4_sock':
      case 'ipv6_sock': {
        const size = rec.type === 'ipv4_sock' ? 4 : 16;
        rec.sip = c.copy(size, 'source address');
        rec.dip = c.copy(size, 'destination address');
        rec.sport = c.u16('source port');
        rec.dport = c.u16('destination port');
        rec.l4proto = c.u8('l4proto');
        break;
      }
      case 'ipv4_servsock':
      case 'ipv6_servsock':
        rec.sip = c.copy(rec.type === 'ipv4_servsock' ? 4 : 16, 'address');
        rec.sport = c.u16('port');
        rec.l4proto = c.u8('l4proto');
        break;
      case 'unix_sock':
        rec.unixSource = c.u64('unix source');
        rec.unixDest = c.u64('unix destination');
        rec.name = readFdName(c);
        break;
      case 'file_v2':
        rec.openFlags = c.u32('open flags');
        rec.name = readFdName(c);
        if (entryLength > 0 && c.entryRead + 4 <= entryLength) rec.dev = c.u32('dev');
        break;
      case 'unknown':
        // libscap never writes these and reads nothing more for them.
        break;
      default:
        if (typeNumber >= FD_TYPES.length) {
          // A type from a newer libscap: like libscap, keep it as unsupported, skip its info.
          rec.name = `unknown-type:[${typeNumber}]`;
        } else {
          rec.name = readFdName(c);
        }
    }
    if (entryLength > 0) {
      if (c.entryRead > entryLength) c.fail(`entry length ${entryLength} is shorter than the ${c.entryRead} bytes of the entry`, c.entryStart);
      c.skip(entryLength - c.entryRead, 'rest of the entry');
    }
    emit(rec);
  }
}

function readFdName(c: TableCursor): string {
  // libscap's limit for fd names is one less than for other paths (its buffer keeps a NUL).
  return c.lengthPrefixedC('name', MAX_PATH_SIZE - 1);
}

/** The body of a v2 fd list block for thread `tid`. */
export function writeFdList(w: ByteWriter, tid: bigint, fds: readonly FdRecord[]): void {
  w.u64(tid);
  for (const fd of fds) {
    const start = w.length;
    w.u32(0); // entry length, patched below
    w.u64(fd.fd);
    w.u64(fd.ino);
    w.u8(FD_TYPE_NUMBERS.get(fd.type) ?? FD_TYPE_NUMBERS.get('unsupported')!);
    switch (fd.type) {
      case 'ipv4_sock':
      case 'ipv6_sock': {
        const size = fd.type === 'ipv4_sock' ? 4 : 16;
        writeAddress(w, fd.sip, size);
        writeAddress(w, fd.dip, size);
        w.u16(fd.sport ?? 0);
        w.u16(fd.dport ?? 0);
        w.u8(fd.l4proto ?? 0);
        break;
      }
      case 'ipv4_servsock':
      case 'ipv6_servsock':
        writeAddress(w, fd.sip, fd.type === 'ipv4_servsock' ? 4 : 16);
        w.u16(fd.sport ?? 0);
        w.u8(fd.l4proto ?? 0);
        break;
      case 'unix_sock':
        w.u64(fd.unixSource ?? 0n);
        w.u64(fd.unixDest ?? 0n);
        w.lengthPrefixed(fd.name ?? '', MAX_PATH_SIZE - 1);
        break;
      case 'file_v2':
        w.u32(fd.openFlags ?? 0);
        w.lengthPrefixed(fd.name ?? '', MAX_PATH_SIZE - 1);
        w.u32(fd.dev ?? 0);
        break;
      case 'unknown':
        break;
      default:
        w.lengthPrefixed(fd.name ?? '', MAX_PATH_SIZE - 1);
    }
    w.patchU32(start, w.length - start);
  }
}

/** An address of exactly `size` bytes (missing bytes are zeros). */
function writeAddress(w: ByteWriter, addr: Uint8Array | undefined, size: number): void {
  const bytes = addr ?? new Uint8Array(0);
  w.bytes(bytes.subarray(0, size));
  if (bytes.length < size) w.zeros(size - bytes.length);
}
