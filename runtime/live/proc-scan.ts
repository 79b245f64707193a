// The machine as it is when a live run starts, read from /proc and /etc the way libscap does:
// every thread (ids, names, arguments, environment, cwd, credentials, memory, cgroups, tty,
// capabilities), the fds of every process (files, directories, pipes, event/inotify/… kinds,
// sockets with their addresses from the socket tables), users and groups, machine facts. Live state is
// seeded from it and `falcoc capture` writes it at the head of the file, so a replay starts from
// the same picture. Processes may end while they are read: what vanished is skipped.
// Strings are byte strings (latin1), as everywhere in falcoc; C-string fields are cut at NUL.
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import type { FdRecord, FdType, GroupRecord, MachineInfo, ThreadRecord, UserRecord } from '../capture/capture-types.ts';
import { openFlagsToPpm } from './open-flags.ts';
import { SocketTables } from './proc-sockets.ts';
import { readProc } from './proc-read.ts';

export interface ProcSnapshot {
  machine: MachineInfo;
  threads: ThreadRecord[];
  fds: FdRecord[];
  users: UserRecord[];
  groups: GroupRecord[];
}

const read = readProc;
const link = (path: string): string | undefined => {
  try {
    return Buffer.from(readlinkSync(path, { encoding: 'buffer' })).toString('latin1');
  } catch {
    return undefined;
  }
};
const cut = (s: string): string => {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
};
const nulList = (s: string | undefined): string[] => {
  if (!s) return [];
  const parts = s.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
};

/** "Key:\tvalue" lines of /proc/<pid>/status. */
function statusFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return out;
}

const kb = (v: string | undefined): number => (v ? Number.parseInt(v, 10) || 0 : 0);
const lastId = (v: string | undefined): bigint => {
  const parts = v?.split(/\s+/) ?? [];
  return parts.length ? BigInt(parts[parts.length - 1]!) : -1n;
};

/** The controllers Falco's drivers report, each with the task's cgroup path. */
const CONTROLLERS = ['cpuset', 'cpu', 'cpuacct', 'io', 'memory'];
function cgroupsOf(text: string | undefined): string[] {
  const out: string[] = [];
  for (const line of (text ?? '').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    // cgroup v2 ("0::/path"): every controller shares the unified path.
    if (m[1] === '') out.push(...CONTROLLERS.map((c) => `${c}=${m[2]}`));
    else for (const c of m[1]!.split(',')) out.push(`${c.replace(/^name=/, '')}=${m[2]}`);
  }
  return out;
}

function thread(pid: number, tid: number): ThreadRecord | undefined {
  const base = `/proc/${pid}/task/${tid}`;
  const statusText = read(`${base}/status`);
  const stat = read(`${base}/stat`);
  if (statusText === undefined || stat === undefined) return undefined;
  const st = statusFields(statusText);
  // After the ")" that ends comm: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt …
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const argv = nulList(read(`/proc/${pid}/cmdline`));
  const exepath = link(`/proc/${pid}/exe`) ?? '';
  const limit = /^Max open files\s+(\d+)/m.exec(read(`/proc/${pid}/limits`) ?? '');
  const uids = st.get('Uid')?.split(/\s+/) ?? [];
  const gids = st.get('Gid')?.split(/\s+/) ?? [];
  const cap = (k: string) => BigInt(`0x${st.get(k) ?? '0'}`);
  return {
    tid: BigInt(tid),
    pid: BigInt(pid),
    ptid: BigInt(st.get('PPid') ?? '0'),
    sid: BigInt(rest[3] ?? '-1'),
    vpgid: BigInt(rest[2] ?? '-1'),
    pgid: BigInt(rest[2] ?? '-1'),
    comm: cut((read(`${base}/comm`) ?? '').replace(/\n$/, '')),
    exe: cut(argv[0] ?? ''),
    exepath: cut(exepath.replace(/ \(deleted\)$/, '')),
    exeWritable: exeWritable(pid, Number(uids[3] ?? 0), Number(gids[3] ?? 0), cap('CapEff')),
    exeUpperLayer: false, // the overlay layer is only known from exec events (the driver reads it)
    exeLowerLayer: false,
    exeFromMemfd: exepath.startsWith('/memfd:'),
    args: argv.slice(1),
    env: nulList(read(`/proc/${pid}/environ`)),
    cwd: cut(link(`/proc/${pid}/cwd`) ?? ''),
    fdlimit: limit ? BigInt(limit[1]!) : 0n,
    flags: 0,
    // Falco's user.uid/group.gid are the effective ids.
    uid: Number(uids[1] ?? 0),
    gid: Number(gids[1] ?? 0),
    loginuid: Number((read(`/proc/${pid}/loginuid`) ?? '4294967295').trim()),
    vmsizeKb: kb(st.get('VmSize')),
    vmrssKb: kb(st.get('VmRSS')),
    vmswapKb: kb(st.get('VmSwap')),
    pfmajor: BigInt(rest[9] ?? '0'),
    pfminor: BigInt(rest[7] ?? '0'),
    cgroups: cgroupsOf(read(`/proc/${pid}/cgroup`)),
    root: cut(link(`/proc/${pid}/root`) ?? '/'),
    vtid: lastId(st.get('NSpid')),
    vpid: lastId(st.get('NStgid')),
    tty: Number(rest[4] ?? 0),
    pidnsInitStartTs: 0n,
    cloneTs: 0n,
    capPermitted: cap('CapPrm'),
    capEffective: cap('CapEff'),
    capInheritable: cap('CapInh'),
    exeIno: 0n,
    exeInoCtime: 0n,
    exeInoMtime: 0n,
  };
}

/** As the driver decides it at exec: the task owns its exe, may write it by the mode bits, or
 * has a capability that overrides them (CAP_DAC_OVERRIDE, CAP_FOWNER). */
function exeWritable(pid: number, fsuid: number, fsgid: number, capEff: bigint): boolean {
  let st;
  try {
    st = statSync(`/proc/${pid}/exe`);
  } catch {
    return false; // kernel threads, vanished processes
  }
  if ((capEff & ((1n << 1n) | (1n << 3n))) !== 0n) return true;
  if (st.uid === fsuid) return true;
  return st.gid === fsgid ? (st.mode & 0o020) !== 0 : (st.mode & 0o002) !== 0;
}

const ANON: Readonly<Record<string, FdType>> = {
  '[eventpoll]': 'eventpoll', '[eventfd]': 'event', '[signalfd]': 'signalfd', '[timerfd]': 'timerfd', 'inotify': 'inotify',
  'bpf-map': 'bpf', 'bpf-prog': 'bpf', '[userfaultfd]': 'userfaultfd', '[io_uring]': 'io_uring', '[pidfd]': 'pidfd',
};

function fdsOf(pid: number, sockets: SocketTables): FdRecord[] {
  const out: FdRecord[] = [];
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const n of names) {
    const target = link(`/proc/${pid}/fd/${n}`);
    if (target === undefined) continue;
    const rec: FdRecord = { tid: BigInt(pid), fd: BigInt(n), ino: 0n, type: 'unknown' };
    const info = read(`/proc/${pid}/fdinfo/${n}`) ?? '';
    const flags = /^flags:\s+([0-7]+)/m.exec(info);
    const ino = /^ino:\s+(\d+)/m.exec(info);
    if (ino) rec.ino = BigInt(ino[1]!);
    if (target.startsWith('/')) {
      let dir = false;
      try {
        dir = statSync(`/proc/${pid}/fd/${n}`).isDirectory();
      } catch {
        // gone, or a path the reader may not stat: a file
      }
      rec.type = dir ? 'directory' : 'file_v2';
      rec.name = cut(target.replace(/ \(deleted\)$/, ''));
      if (flags) rec.openFlags = openFlagsToPpm(Number.parseInt(flags[1]!, 8));
    } else if (target.startsWith('pipe:')) {
      rec.type = 'fifo';
      rec.name = '';
    } else if (target.startsWith('anon_inode:')) {
      rec.type = ANON[target.slice('anon_inode:'.length)] ?? 'unknown';
      rec.name = '';
    } else if (target.startsWith('socket:[')) {
      const info = sockets.lookup(pid, BigInt(target.slice('socket:['.length, -1)));
      if (!info) continue; // netlink, packet and other kinds the tables do not list
      out.push({ ...info, tid: BigInt(pid), fd: rec.fd });
      continue;
    } else {
      continue;
    }
    out.push(rec);
  }
  return out;
}

function passwd(): { users: UserRecord[]; groups: GroupRecord[] } {
  const users: UserRecord[] = [];
  for (const line of (read('/etc/passwd') ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || line.startsWith('#')) continue;
    users.push({ uid: Number(f[2]), gid: Number(f[3]), name: f[0]!, homedir: f[5]!, shell: f[6]!, containerId: '' });
  }
  const groups: GroupRecord[] = [];
  for (const line of (read('/etc/group') ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || line.startsWith('#')) continue;
    groups.push({ gid: Number(f[2]), name: f[0]!, containerId: '' });
  }
  return { users, groups };
}

export function bootTimeNs(): bigint {
  const btime = /^btime\s+(\d+)/m.exec(read('/proc/stat') ?? '');
  return btime ? BigInt(btime[1]!) * 1_000_000_000n : 0n;
}

/** Reads the whole table; `exclude` pids (falcoc itself) are left out. */
export function scanProc(exclude: ReadonlySet<number> = new Set()): ProcSnapshot {
  const threads: ThreadRecord[] = [];
  const fds: FdRecord[] = [];
  const sockets = new SocketTables();
  let maxPid = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (exclude.has(pid)) continue;
    maxPid = Math.max(maxPid, pid);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tids) {
      const rec = thread(pid, Number(t));
      if (rec) threads.push(rec);
    }
    fds.push(...fdsOf(pid, sockets));
  }
  const { users, groups } = passwd();
  const machine: MachineInfo = {
    numCpus: cpus().length,
    memoryBytes: BigInt(totalmem()),
    maxCpuFrequency: 0n,
    pageSize: 4096,
    hostname: hostname(),
    bootTimeNs: bootTimeNs(),
    maxPid: BigInt(maxPid),
    flags: 0n,
  };
  return { machine, threads, fds, users, groups };
}
