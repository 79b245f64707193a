// Process list blocks (versions 1…9): one entry per thread. Each version appended fields to
// the one before; from version 9 every entry starts with its own length, and fields added
// since (loginuid, capabilities, exe inode…) are present only when that length leaves room
// for them — which is how libscap stays compatible both ways without new block types.
//
// Entry layout (version that introduced the field in brackets):
//   [9] entry length u32 · tid, pid, ptid i64 · [6] sid i64 · [8] vpgid i64 · comm · exe ·
//   [7] exepath · args · cwd · fdlimit i64 · flags, uid, gid u32 · [2] vmsize, vmrss,
//   vmswap u32, pfmajor, pfminor u64 · [3] env · [4] vtid, vpid i64, cgroups · [5] root ·
//   then, in version 9 and only while the entry length allows: pidns_init_start_ts u64,
//   tty u32 (both absent in files from libs < 0.10, recognised by the short tail),
//   loginuid u32, exe_writable u8, cap_inheritable, cap_permitted, cap_effective u64,
//   exe_upper_layer u8, exe_ino, exe_ino_ctime, exe_ino_mtime u64, exe_from_memfd u8,
//   exe_lower_layer u8, pgid i64.
// Strings are u16 length + bytes; args, env and cgroups are NUL-separated lists.
import type { ThreadRecord } from './capture-types.ts';
import { MAX_ARGS_SIZE, MAX_CGROUPS_SIZE, MAX_ENV_SIZE, MAX_PATH_SIZE } from './block-types.ts';
import { splitNulList, type TableCursor } from './table-cursor.ts';
import { joinNulList, type ByteWriter } from './byte-writer.ts';

/** Size of the tail fields written by libs < 0.10 (loginuid, exe_writable, three capabilities). */
const PRE_0_10_TAIL = 29;

export function readProcessList(c: TableCursor, version: number, emit: (t: ThreadRecord) => void): void {
  // libscap stops when fewer than 4 bytes are left: that is the block's padding.
  while (c.remaining >= 4) {
    c.beginEntry();
    const entryLength = version >= 9 ? c.u32('entry length') : 0;
    const t: ThreadRecord = {
      tid: c.i64('tid'),
      pid: c.i64('pid'),
      ptid: c.i64('ptid'),
      sid: version >= 6 ? c.i64('sid') : -1n,
      vpgid: version >= 8 ? c.i64('vpgid') : -1n,
      pgid: -1n,
      comm: c.lengthPrefixedC('comm', MAX_PATH_SIZE),
      exe: c.lengthPrefixedC('exe', MAX_PATH_SIZE),
      exepath: version >= 7 ? c.lengthPrefixedC('exepath', MAX_PATH_SIZE) : '',
      exeWritable: false,
      exeUpperLayer: false,
      exeLowerLayer: false,
      exeFromMemfd: false,
      args: splitNulList(c.lengthPrefixed('args', MAX_ARGS_SIZE)),
      env: [],
      cwd: c.lengthPrefixedC('cwd', MAX_PATH_SIZE),
      fdlimit: c.i64('fdlimit'),
      flags: c.u32('flags'),
      uid: c.u32('uid'),
      gid: c.u32('gid'),
      loginuid: 0xffffffff,
      vmsizeKb: 0,
      vmrssKb: 0,
      vmswapKb: 0,
      pfmajor: 0n,
      pfminor: 0n,
      cgroups: [],
      root: '',
      vtid: -1n,
      vpid: -1n,
      tty: 0,
      pidnsInitStartTs: 0n,
      cloneTs: 0n,
      capPermitted: 0n,
      capEffective: 0n,
      capInheritable: 0n,
      exeIno: 0n,
      exeInoCtime: 0n,
      exeInoMtime: 0n,
    };
    if (version >= 2) {
      t.vmsizeKb = c.u32('vmsize_kb');
      t.vmrssKb = c.u32('vmrss_kb');
      t.vmswapKb = c.u32('vmswap_kb');
      t.pfmajor = c.u64('pfmajor');
      t.pfminor = c.u64('pfminor');
    }
    if (version >= 3) t.env = splitNulList(c.lengthPrefixed('env', MAX_ENV_SIZE));
    if (version >= 4) {
      t.vtid = c.i64('vtid');
      t.vpid = c.i64('vpid');
      t.cgroups = splitNulList(c.lengthPrefixed('cgroups', MAX_CGROUPS_SIZE));
      if (version >= 5) t.root = c.lengthPrefixedC('root', MAX_PATH_SIZE);
    }
    if (entryLength > 0) readTail(c, entryLength, t);
    emit(t);
  }
}

/** The version-9 fields that exist only when the entry length leaves room for them. */
function readTail(c: TableCursor, entryLength: number, t: ThreadRecord): void {
  if (c.entryRead > entryLength) c.fail(`entry length ${entryLength} is shorter than its fixed fields (${c.entryRead} bytes)`, c.entryStart);
  const fits = (n: number): boolean => c.entryRead + n <= entryLength;
  if (entryLength - c.entryRead > PRE_0_10_TAIL) {
    if (fits(8)) t.pidnsInitStartTs = c.u64('pidns_init_start_ts');
    if (fits(4)) t.tty = c.u32('tty');
  }
  if (fits(4)) t.loginuid = c.u32('loginuid');
  if (fits(1)) t.exeWritable = c.u8('exe_writable') !== 0;
  if (fits(8)) t.capInheritable = c.u64('cap_inheritable');
  if (fits(8)) t.capPermitted = c.u64('cap_permitted');
  if (fits(8)) t.capEffective = c.u64('cap_effective');
  if (fits(1)) t.exeUpperLayer = c.u8('exe_upper_layer') !== 0;
  if (fits(8)) t.exeIno = c.u64('exe_ino');
  if (fits(8)) t.exeInoCtime = c.u64('exe_ino_ctime');
  if (fits(8)) t.exeInoMtime = c.u64('exe_ino_mtime');
  if (fits(1)) t.exeFromMemfd = c.u8('exe_from_memfd') !== 0;
  if (fits(1)) t.exeLowerLayer = c.u8('exe_lower_layer') !== 0;
  if (fits(8)) t.pgid = c.i64('pgid');
  // Fields added after this reader was written: skip them.
  if (c.entryRead < entryLength) c.skip(entryLength - c.entryRead, 'rest of the entry');
}

/** One version-9 entry, with every field libscap's newest writer emits. */
export function writeProcessListEntry(w: ByteWriter, t: ThreadRecord): void {
  const start = w.length;
  w.u32(0); // entry length, patched below
  w.u64(t.tid);
  w.u64(t.pid);
  w.u64(t.ptid);
  w.u64(t.sid);
  w.u64(t.vpgid);
  w.lengthPrefixed(t.comm, MAX_PATH_SIZE);
  w.lengthPrefixed(t.exe, MAX_PATH_SIZE);
  w.lengthPrefixed(t.exepath, MAX_PATH_SIZE);
  w.lengthPrefixed(joinNulList(t.args), MAX_ARGS_SIZE);
  w.lengthPrefixed(t.cwd, MAX_PATH_SIZE);
  w.u64(t.fdlimit);
  w.u32(t.flags);
  w.u32(t.uid);
  w.u32(t.gid);
  w.u32(t.vmsizeKb);
  w.u32(t.vmrssKb);
  w.u32(t.vmswapKb);
  w.u64(t.pfmajor);
  w.u64(t.pfminor);
  w.lengthPrefixed(joinNulList(t.env), MAX_ENV_SIZE);
  w.u64(t.vtid);
  w.u64(t.vpid);
  w.lengthPrefixed(joinNulList(t.cgroups), MAX_CGROUPS_SIZE);
  w.lengthPrefixed(t.root, MAX_PATH_SIZE);
  w.u64(t.pidnsInitStartTs);
  w.u32(t.tty);
  w.u32(t.loginuid);
  w.u8(t.exeWritable ? 1 : 0);
  w.u64(t.capInheritable);
  w.u64(t.capPermitted);
  w.u64(t.capEffective);
  w.u8(t.exeUpperLayer ? 1 : 0);
  w.u64(t.exeIno);
  w.u64(t.exeInoCtime);
  w.u64(t.exeInoMtime);
  w.u8(t.exeFromMemfd ? 1 : 0);
  w.u8(t.exeLowerLayer ? 1 : 0);
  w.u64(t.pgid);
  w.patchU32(start, w.length - start);
}
