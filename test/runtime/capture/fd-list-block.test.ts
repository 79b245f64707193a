import { describe, expect, it } from 'vitest';
import { readCaptureTables } from '../../../runtime/capture/capture-reader.ts';
import { ByteWriter } from '../../../runtime/capture/byte-writer.ts';
import { writeFdList } from '../../../runtime/capture/fd-list-block.ts';
import type { FdRecord } from '../../../runtime/capture/capture-types.ts';
import { captureOf, rawBlock } from './capture-fixtures.ts';

const RECORDS: FdRecord[] = [
  { tid: 42n, fd: 0n, ino: 3n, type: 'file_v2', name: '/dev/null', openFlags: 3, dev: 6 },
  { tid: 42n, fd: 3n, ino: 9n, type: 'ipv4_sock', sip: new Uint8Array([10, 0, 0, 1]), dip: new Uint8Array([10, 0, 0, 2]), sport: 40000, dport: 443, l4proto: 2 },
  { tid: 42n, fd: 4n, ino: 10n, type: 'ipv6_servsock', sip: new Uint8Array(16).fill(0xfe), sport: 8080, l4proto: 2 },
  { tid: 42n, fd: 5n, ino: 11n, type: 'unix_sock', name: '/run/x.sock', unixSource: 0xffff0000n, unixDest: 0xffff1111n },
  { tid: 42n, fd: 6n, ino: 12n, type: 'directory', name: '/etc' },
  { tid: 42n, fd: 7n, ino: 0n, type: 'pidfd', name: 'pidfd' },
];

describe('fd list blocks', () => {
  it('v2 (0x218): every info layout round-trips', async () => {
    const w = new ByteWriter(true);
    writeFdList(w, 42n, RECORDS);
    const t = await readCaptureTables(captureOf([rawBlock(0x218, w.result())]));
    expect(t.fds).toEqual(RECORDS);
  });

  it('v1 (0x203, 0x8001ABCD): no entry lengths, file_v2 without dev', async () => {
    for (const type of [0x203, 0x8001abcd]) {
      const w = new ByteWriter(true);
      w.u64(42n);
      // fd 1: file (v1 type), fd 2: file_v2 (no dev in v1 entries)
      w.u64(1n); w.u64(5n); w.u8(1); w.u16(4); w.latin1('/tmp');
      w.u64(2n); w.u64(6n); w.u8(16); w.u32(2); w.u16(2); w.latin1('/x');
      const t = await readCaptureTables(captureOf([rawBlock(type, w.result())]));
      expect(t.fds).toEqual([
        { tid: 42n, fd: 1n, ino: 5n, type: 'file', name: '/tmp' },
        { tid: 42n, fd: 2n, ino: 6n, type: 'file_v2', name: '/x', openFlags: 2 },
      ]);
    }
  });

  it('a type from a newer libscap is kept as unsupported and its info skipped (v2)', async () => {
    const w = new ByteWriter(true);
    w.u64(42n);
    w.u32(4 + 8 + 8 + 1 + 6); w.u64(9n); w.u64(1n); w.u8(99); w.zeros(6);
    w.u32(4 + 8 + 8 + 1 + 2 + 2); w.u64(10n); w.u64(2n); w.u8(7); w.u16(2); w.latin1('p0');
    const t = await readCaptureTables(captureOf([rawBlock(0x218, w.result())]));
    expect(t.fds).toEqual([
      { tid: 42n, fd: 9n, ino: 1n, type: 'unsupported', name: 'unknown-type:[99]' },
      { tid: 42n, fd: 10n, ino: 2n, type: 'fifo', name: 'p0' },
    ]);
  });

  it('names of 1024 bytes or more are corrupt', async () => {
    const w = new ByteWriter(true);
    w.u64(42n);
    w.u64(1n); w.u64(5n); w.u8(1); w.u16(1024); w.zeros(1024);
    await expect(readCaptureTables(captureOf([rawBlock(0x203, w.result())]))).rejects.toThrow(/name length 1024 is impossible/);
  });
});
