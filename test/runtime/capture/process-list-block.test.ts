// Every process list version libscap reads, built by hand from the layout each version had.
import { describe, expect, it } from 'vitest';
import { readCaptureTables } from '../../../runtime/capture/capture-reader.ts';
import { ByteWriter } from '../../../runtime/capture/byte-writer.ts';
import type { ThreadRecord } from '../../../runtime/capture/capture-types.ts';
import { captureOf, rawBlock } from './capture-fixtures.ts';

const VERSION_TYPES: readonly [number, number][] = [
  [1, 0x202], [1, 0x8000abcd], [2, 0x207], [2, 0x8013abcd], [3, 0x209], [3, 0x8014abcd],
  [4, 0x210], [5, 0x211], [6, 0x212], [7, 0x213], [8, 0x214], [9, 0x215],
];

type Tail = 'none' | 'pre-0.10' | 'full' | 'future';

/** One entry in the layout of `version` (see process-list-block.ts for the field history). */
function entry(w: ByteWriter, version: number, tid: bigint, tail: Tail): void {
  const start = w.length;
  const str = (s: string): void => {
    w.u16(s.length);
    w.latin1(s);
  };
  if (version >= 9) w.u32(0);
  w.u64(tid);
  w.u64(tid - 1n);
  w.u64(1n);
  if (version >= 6) w.u64(77n); // sid
  if (version >= 8) w.u64(78n); // vpgid
  str('worker');
  str('/usr/bin/worker');
  if (version >= 7) str('/usr/lib/worker/bin');
  str('--fast\0--port\0' + '8080'); // no trailing NUL: libscap accepts both
  str('/srv');
  w.u64(4096n);
  w.u32(0x10);
  w.u32(1000);
  w.u32(1001);
  if (version >= 2) {
    w.u32(111);
    w.u32(222);
    w.u32(3);
    w.u64(4n);
    w.u64(5n);
  }
  if (version >= 3) str('HOME=/srv\0LANG=C\0');
  if (version >= 4) {
    w.u64(tid + 100n);
    w.u64(tid + 99n);
    str('cpu=/app\0memory=/app\0');
  }
  if (version >= 5) str('/chroot');
  if (version >= 9 && tail !== 'none') {
    if (tail !== 'pre-0.10') {
      w.u64(123_456n); // pidns_init_start_ts
      w.u32(34816); // tty
    }
    w.u32(1000); // loginuid
    w.u8(1); // exe_writable
    w.u64(1n); // cap_inheritable
    w.u64(2n); // cap_permitted
    w.u64(3n); // cap_effective
    if (tail !== 'pre-0.10') {
      w.u8(1); // exe_upper_layer
      w.u64(555n); // exe_ino
      w.u64(6n); // exe_ino_ctime
      w.u64(7n); // exe_ino_mtime
      w.u8(1); // exe_from_memfd
      w.u8(1); // exe_lower_layer
      w.u64(79n); // pgid
      if (tail === 'future') w.zeros(5); // fields of a newer libscap
    }
  }
  if (version >= 9) w.patchU32(start, tail === 'none' ? 0 : w.length - start);
}

async function readThreads(type: number, version: number, tail: Tail): Promise<ThreadRecord[]> {
  const w = new ByteWriter(true);
  entry(w, version, 500n, tail);
  entry(w, version, 501n, tail);
  const t = await readCaptureTables(captureOf([rawBlock(type, w.result())]));
  return t.threads;
}

describe('process list blocks', () => {
  it.each(VERSION_TYPES)('version %i (block type %i)', async (version, type) => {
    const threads = await readThreads(type, version, version >= 9 ? 'full' : 'none');
    expect(threads.map((t) => t.tid)).toEqual([500n, 501n]);
    const t = threads[0]!;
    expect(t).toMatchObject({ tid: 500n, pid: 499n, ptid: 1n, comm: 'worker', exe: '/usr/bin/worker', cwd: '/srv', fdlimit: 4096n, flags: 0x10, uid: 1000, gid: 1001 });
    expect(t.args).toEqual(['--fast', '--port', '8080']);
    expect(t.sid).toBe(version >= 6 ? 77n : -1n);
    expect(t.vpgid).toBe(version >= 8 ? 78n : -1n);
    expect(t.exepath).toBe(version >= 7 ? '/usr/lib/worker/bin' : '');
    expect([t.vmsizeKb, t.vmrssKb, t.vmswapKb, t.pfmajor, t.pfminor]).toEqual(version >= 2 ? [111, 222, 3, 4n, 5n] : [0, 0, 0, 0n, 0n]);
    expect(t.env).toEqual(version >= 3 ? ['HOME=/srv', 'LANG=C'] : []);
    expect([t.vtid, t.vpid, t.cgroups]).toEqual(version >= 4 ? [600n, 599n, ['cpu=/app', 'memory=/app']] : [-1n, -1n, []]);
    expect(t.root).toBe(version >= 5 ? '/chroot' : '');
    if (version >= 9) {
      expect(t).toMatchObject({
        pidnsInitStartTs: 123_456n, tty: 34816, loginuid: 1000, exeWritable: true, capInheritable: 1n, capPermitted: 2n, capEffective: 3n,
        exeUpperLayer: true, exeIno: 555n, exeInoCtime: 6n, exeInoMtime: 7n, exeFromMemfd: true, exeLowerLayer: true, pgid: 79n,
      });
    } else {
      expect(t).toMatchObject({ pidnsInitStartTs: 0n, tty: 0, loginuid: 0xffffffff, exeWritable: false, capPermitted: 0n, pgid: -1n, exeIno: 0n });
    }
  });

  it('version 9 written by libs < 0.10 (no pidns_init_start_ts and tty)', async () => {
    const [t] = await readThreads(0x215, 9, 'pre-0.10');
    expect(t).toMatchObject({ pidnsInitStartTs: 0n, tty: 0, loginuid: 1000, exeWritable: true, capInheritable: 1n, capPermitted: 2n, capEffective: 3n, exeIno: 0n, pgid: -1n });
  });

  it('version 9 with fields from a newer libscap: skipped', async () => {
    const threads = await readThreads(0x215, 9, 'future');
    expect(threads.map((t) => [t.tid, t.pgid])).toEqual([[500n, 79n], [501n, 79n]]);
  });

  it('version 9 with a zero entry length: only the fixed fields', async () => {
    const [t] = await readThreads(0x215, 9, 'none');
    expect(t).toMatchObject({ root: '/chroot', loginuid: 0xffffffff, pgid: -1n });
  });
});
