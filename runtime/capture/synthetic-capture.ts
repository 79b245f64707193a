// A synthetic-capture generator, for benchmarks and tests that need big or hand-shaped
// captures. Deterministic for a given seed. What it writes, in libscap's current layout:
//
// - machine info ("synthetic-host", 4 cpus, 8 GiB), interfaces lo and eth0 (IPv4 and IPv6),
//   users root/www-data/postgres/alice and their groups;
// - a process table of `threads` threads: systemd (pid 1) and a mix of daemons and user
//   processes (sshd, bash, nginx, python3 with worker threads, postgres, cron, node, curl)
//   with plausible exe/exepath/args/cwd/env/cgroups/uids/capabilities; workers share their
//   process's pid;
// - per-thread fd tables (empty for non-main threads, as threads share them): stdio on
//   /dev/null or a pty, log files, a listening TCP socket (IPv4 and IPv6) for nginx, a unix
//   socket for postgres, an established TCP connection for python3, pipes, an epoll fd;
// - `events` events as current drivers emit them (exit events only, with the enter
//   parameters folded in), mixed roughly as openat 22%, read 25%, write 20%, close 22%,
//   socket+connect 6%, execve 5%: parameter layouts follow the event table; fds are tracked
//   per process so reads, writes and closes use fds that are open; timestamps increase by
//   1 ns…20 µs; cpus vary.
import type { Writable } from 'node:stream';
import type { FdRecord, GroupRecord, InterfaceRecord, MachineInfo, ThreadRecord, UserRecord } from './capture-types.ts';
import { CaptureWriter } from './capture-writer.ts';
import { EventEncoder, type ParamValue } from './event-encoder.ts';

export interface SyntheticCaptureOptions {
  events: number;
  /** Threads in the process table (default 64, at least 1). */
  threads?: number;
  seed?: number;
  gzip?: boolean;
  littleEndian?: boolean;
  /** Timestamp of the first event, ns since the epoch (default 2026-01-01T00:00:00Z). */
  startTs?: bigint;
}

export interface SyntheticTables {
  machine: MachineInfo;
  interfaces: InterfaceRecord[];
  users: UserRecord[];
  groups: GroupRecord[];
  threads: ThreadRecord[];
  fds: FdRecord[];
}

export interface SyntheticCaptureResult {
  events: number;
  threads: number;
  /** Bytes of capture written (before compression). */
  bytes: number;
}

const CPUS = 4;
const PPM_O_RDONLY = 1;
const PPM_O_WRONLY = 2;
const PPM_O_RDWR = 3;
const PPM_O_CREAT = 4;
const PPM_O_APPEND = 8;
const PPM_O_TRUNC = 256;
const PPM_O_CLOEXEC = 4096;
const PPM_AF_INET = 2;
const SCAP_L4_TCP = 2;
const AT_FDCWD = -100;
const FULL_CAPS = 0x1ffffffffffn;
const BOOT_TS = 1_767_225_600_000_000_000n - 86_400_000_000_000n;

const EV = { CLOSE_X: 5, READ_X: 7, WRITE_X: 9, SOCKET_X: 19, CONNECT_X: 23, EXECVE_19_X: 293, OPENAT_2_X: 307 } as const;

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ProgramTemplate {
  comm: string;
  exe: string;
  exepath: string;
  args: string[];
  cwd: string;
  uid: number;
  workers: number;
  pty: boolean;
  cgroup: string;
}

const PROGRAMS: readonly ProgramTemplate[] = [
  { comm: 'sshd', exe: '/usr/sbin/sshd', exepath: '/usr/sbin/sshd', args: ['-D'], cwd: '/', uid: 0, workers: 0, pty: false, cgroup: '/system.slice/ssh.service' },
  { comm: 'bash', exe: '-bash', exepath: '/usr/bin/bash', args: [], cwd: '/home/alice', uid: 1000, workers: 0, pty: true, cgroup: '/user.slice/user-1000.slice/session-3.scope' },
  { comm: 'nginx', exe: 'nginx: worker process', exepath: '/usr/sbin/nginx', args: [], cwd: '/', uid: 33, workers: 0, pty: false, cgroup: '/system.slice/nginx.service' },
  { comm: 'python3', exe: '/usr/bin/python3', exepath: '/usr/bin/python3.11', args: ['/srv/app/app.py', '--port', '8000'], cwd: '/srv/app', uid: 1000, workers: 3, pty: false, cgroup: '/system.slice/app.service' },
  { comm: 'postgres', exe: '/usr/lib/postgresql/15/bin/postgres', exepath: '/usr/lib/postgresql/15/bin/postgres', args: ['-D', '/var/lib/postgresql/15/main'], cwd: '/var/lib/postgresql/15/main', uid: 105, workers: 1, pty: false, cgroup: '/system.slice/postgresql@15-main.service' },
  { comm: 'cron', exe: '/usr/sbin/cron', exepath: '/usr/sbin/cron', args: ['-f'], cwd: '/var/spool/cron', uid: 0, workers: 0, pty: false, cgroup: '/system.slice/cron.service' },
  { comm: 'node', exe: 'node', exepath: '/usr/bin/node', args: ['server.js'], cwd: '/srv/web', uid: 1000, workers: 4, pty: false, cgroup: '/system.slice/web.service' },
  { comm: 'curl', exe: 'curl', exepath: '/usr/bin/curl', args: ['-s', 'https://example.com/'], cwd: '/home/alice', uid: 1000, workers: 0, pty: true, cgroup: '/user.slice/user-1000.slice/session-3.scope' },
];

const EXEC_TARGETS: readonly { comm: string; path: string; args: string[] }[] = [
  { comm: 'ls', path: '/usr/bin/ls', args: ['-la', '/tmp'] },
  { comm: 'grep', path: '/usr/bin/grep', args: ['-r', 'TODO', 'src'] },
  { comm: 'cat', path: '/usr/bin/cat', args: ['/etc/os-release'] },
  { comm: 'git', path: '/usr/bin/git', args: ['status', '--short'] },
  { comm: 'sh', path: '/usr/bin/sh', args: ['-c', 'date +%s'] },
];

const FILES: readonly string[] = [
  '/etc/ld.so.cache', '/lib/x86_64-linux-gnu/libc.so.6', '/etc/passwd', '/etc/hosts', '/etc/nsswitch.conf',
  '/proc/self/status', '/srv/app/config.yaml', '/var/log/app/app.log', '/tmp/tmp.k2j4h5', '/usr/share/zoneinfo/UTC',
  '/home/alice/.bashrc', '/var/lib/dpkg/status', '/sys/fs/cgroup/cpu.max', '/usr/lib/python3.11/os.py',
];

const USER_NAMES: Readonly<Record<number, string>> = { 0: 'root', 33: 'www-data', 105: 'postgres', 1000: 'alice' };

/** The head tables of a synthetic capture (deterministic for the options). */
export function syntheticTables(options: Pick<SyntheticCaptureOptions, 'threads' | 'seed'> = {}): SyntheticTables {
  const rand = prng(options.seed ?? 1);
  const count = Math.max(1, options.threads ?? 64);
  const threads: ThreadRecord[] = [];
  const fds: FdRecord[] = [];
  const addThread = (t: Partial<ThreadRecord> & Pick<ThreadRecord, 'tid' | 'pid' | 'ptid' | 'comm' | 'exe'>): ThreadRecord => {
    const rec: ThreadRecord = {
      sid: t.pid,
      vpgid: t.pid,
      pgid: t.pid,
      exepath: '',
      exeWritable: false,
      exeUpperLayer: false,
      exeLowerLayer: false,
      exeFromMemfd: false,
      args: [],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8'],
      cwd: '/',
      fdlimit: 1024n,
      flags: 0,
      uid: 0,
      gid: 0,
      loginuid: 0xffffffff,
      vmsizeKb: 0,
      vmrssKb: 0,
      vmswapKb: 0,
      pfmajor: 0n,
      pfminor: 0n,
      cgroups: ['cpuset=/', 'cpu=/', 'memory=/'],
      root: '/',
      vtid: t.tid,
      vpid: t.pid,
      tty: 0,
      pidnsInitStartTs: 0n,
      cloneTs: 0n, // not recorded by process list blocks
      capPermitted: 0n,
      capEffective: 0n,
      capInheritable: 0n,
      exeIno: 0n,
      exeInoCtime: 0n,
      exeInoMtime: 0n,
      ...t,
    };
    threads.push(rec);
    return rec;
  };
  const file = (tid: bigint, fd: number, name: string, openFlags: number, ino: number): void => {
    fds.push({ tid, fd: BigInt(fd), ino: BigInt(ino), type: 'file_v2', name, openFlags, dev: name.startsWith('/dev/') ? 5 : 0xfe01 });
  };

  addThread({ tid: 1n, pid: 1n, ptid: 0n, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd', args: ['splash'], fdlimit: 1073741816n, vmsizeKb: 167_000, vmrssKb: 12_000, capPermitted: FULL_CAPS, capEffective: FULL_CAPS, exeIno: 1_310_722n });
  file(1n, 0, '/dev/null', PPM_O_RDWR, 4);
  let nextPid = 400;
  let shellTid = 0n;
  while (threads.length < count) {
    const p = PROGRAMS[Math.floor(rand() * PROGRAMS.length)]!;
    const pid = BigInt(nextPid);
    nextPid += 7 + Math.floor(rand() * 40);
    const home = p.uid === 1000 ? '/home/alice' : p.uid === 0 ? '/root' : '/var/lib/' + (USER_NAMES[p.uid] ?? 'nobody');
    const ptid = p.pty && shellTid !== 0n && p.comm !== 'bash' ? shellTid : 1n;
    const caps = p.uid === 0 ? FULL_CAPS : 0n;
    const main = addThread({
      tid: pid,
      pid,
      ptid,
      comm: p.comm,
      exe: p.exe,
      exepath: p.exepath,
      args: p.args,
      cwd: p.cwd,
      env: ['PATH=/usr/local/bin:/usr/bin:/bin', `HOME=${home}`, 'LANG=C.UTF-8', `USER=${USER_NAMES[p.uid] ?? 'nobody'}`],
      uid: p.uid,
      gid: p.uid,
      loginuid: p.pty ? 1000 : 0xffffffff,
      tty: p.pty ? 34816 : 0,
      fdlimit: p.pty ? 1024n : 65536n,
      vmsizeKb: 8_000 + Math.floor(rand() * 900_000),
      vmrssKb: 2_000 + Math.floor(rand() * 200_000),
      pfmajor: BigInt(Math.floor(rand() * 50)),
      pfminor: BigInt(Math.floor(rand() * 100_000)),
      cgroups: ['cpuset=/', `cpu=${p.cgroup}`, `memory=${p.cgroup}`, `pids=${p.cgroup}`],
      capPermitted: caps,
      capEffective: caps,
      exeIno: BigInt(1_000_000 + Math.floor(rand() * 9_000_000)),
      exeInoCtime: 1_700_000_000_000_000_000n,
      exeInoMtime: 1_700_000_000_000_000_000n,
    });
    if (p.comm === 'bash') shellTid = pid;
    // stdio
    const stdio = p.pty ? '/dev/pts/0' : '/dev/null';
    for (let fd = 0; fd < 3; fd++) file(pid, fd, stdio, PPM_O_RDWR, p.pty ? 3 : 4);
    switch (p.comm) {
      case 'nginx':
        file(pid, 3, '/var/log/nginx/access.log', PPM_O_WRONLY | PPM_O_APPEND | PPM_O_CREAT, 262_145);
        fds.push({ tid: pid, fd: 6n, ino: 31_337n, type: 'ipv4_servsock', sip: new Uint8Array([0, 0, 0, 0]), sport: 80, l4proto: SCAP_L4_TCP });
        fds.push({ tid: pid, fd: 7n, ino: 31_338n, type: 'ipv6_servsock', sip: new Uint8Array(16), sport: 80, l4proto: SCAP_L4_TCP });
        fds.push({ tid: pid, fd: 8n, ino: 0n, type: 'eventpoll', name: '' });
        break;
      case 'postgres':
        fds.push({ tid: pid, fd: 5n, ino: 40_001n, type: 'unix_sock', name: '/var/run/postgresql/.s.PGSQL.5432', unixSource: 0xffff8880_12345600n, unixDest: 0n });
        fds.push({ tid: pid, fd: 6n, ino: 0n, type: 'directory', name: '/var/lib/postgresql/15/main/base' });
        break;
      case 'python3':
        fds.push({
          tid: pid, fd: 4n, ino: 50_001n, type: 'ipv4_sock',
          sip: new Uint8Array([10, 0, 0, 5]), dip: new Uint8Array([10, 0, 0, 7]), sport: 43_210, dport: 5432, l4proto: SCAP_L4_TCP,
        });
        fds.push({ tid: pid, fd: 5n, ino: 50_002n, type: 'fifo', name: 'pipe:[50002]' });
        break;
      case 'node':
        fds.push({ tid: pid, fd: 10n, ino: 0n, type: 'eventpoll', name: '' });
        fds.push({ tid: pid, fd: 11n, ino: 0n, type: 'event', name: '' });
        break;
      default:
        break;
    }
    for (let w = 1; w <= p.workers && threads.length < count; w++) {
      // workers share the process's fd table: their own lists stay empty
      addThread({ ...main, tid: pid + BigInt(w), vtid: pid + BigInt(w) });
    }
  }

  const users: UserRecord[] = Object.entries(USER_NAMES).map(([uid, name]) => ({
    uid: Number(uid),
    gid: Number(uid),
    name,
    homedir: name === 'root' ? '/root' : name === 'alice' ? '/home/alice' : `/var/lib/${name}`,
    shell: name === 'root' || name === 'alice' ? '/bin/bash' : '/usr/sbin/nologin',
    containerId: '',
  }));
  const groups: GroupRecord[] = [...users.map((u) => ({ gid: u.gid, name: u.name, containerId: '' })), { gid: 27, name: 'sudo', containerId: '' }];
  const interfaces: InterfaceRecord[] = [
    { family: 4, name: 'lo', addr: new Uint8Array([127, 0, 0, 1]), netmask: new Uint8Array([255, 0, 0, 0]), bcast: new Uint8Array([127, 0, 0, 1]), linkSpeed: 0n },
    { family: 4, name: 'eth0', addr: new Uint8Array([10, 0, 0, 5]), netmask: new Uint8Array([255, 255, 255, 0]), bcast: new Uint8Array([10, 0, 0, 255]), linkSpeed: 10_000n },
    { family: 6, name: 'lo', addr: ipv6Loopback(), netmask: new Uint8Array(16).fill(255), bcast: new Uint8Array(16), linkSpeed: 0n },
  ];
  const machine: MachineInfo = {
    numCpus: CPUS,
    memoryBytes: 8n * 1024n * 1024n * 1024n,
    maxCpuFrequency: 0n,
    pageSize: 0,
    hostname: 'synthetic-host',
    bootTimeNs: BOOT_TS,
    maxPid: 4_194_304n,
    flags: 0n,
  };
  return { machine, interfaces, users, groups, threads, fds };
}

function ipv6Loopback(): Uint8Array {
  const a = new Uint8Array(16);
  a[15] = 1;
  return a;
}

/** Writes a synthetic capture (see the top of this file) to a path or stream. */
export async function generateCapture(target: string | Writable, options: SyntheticCaptureOptions): Promise<SyntheticCaptureResult> {
  const le = options.littleEndian ?? true;
  const tables = syntheticTables(options);
  const writer = new CaptureWriter(target, { gzip: options.gzip ?? false, littleEndian: le });
  try {
    writer.writeMachineInfo(tables.machine);
    writer.writeInterfaces(tables.interfaces);
    writer.writeUsers(tables.users, tables.groups);
    writer.writeThreads(tables.threads);
    for (const t of tables.threads) writer.writeFdList(t.tid, tables.fds.filter((f) => f.tid === t.tid));

    const events = new EventStream(tables, options.seed ?? 1, options.startTs ?? 1_767_225_600_000_000_000n, le);
    let written = 0;
    let batch = 0;
    while (written < options.events) {
      written += events.next(writer, options.events - written);
      // let the destination catch up now and then, so memory stays bounded
      if (++batch === 4096) {
        batch = 0;
        await writer.drain();
      }
    }
    await writer.close();
    return { events: written, threads: tables.threads.length, bytes: writer.bytesWritten };
  } catch (err) {
    await writer.close().catch(() => undefined);
    throw err;
  }
}

interface ProcessState {
  thread: ThreadRecord;
  tids: bigint[];
  /** Open fds (3 and up) and what they are. */
  open: Map<number, string>;
}

/** Produces plausible event sequences over the thread table. */
class EventStream {
  private readonly rand: () => number;
  private readonly enc: EventEncoder;
  private readonly procs: ProcessState[];
  private ts: bigint;
  private nextIno = 900_000;

  constructor(tables: SyntheticTables, seed: number, startTs: bigint, le: boolean) {
    this.rand = prng(seed ^ 0x5eed);
    this.enc = new EventEncoder(le);
    this.ts = startTs;
    const byPid = new Map<bigint, ProcessState>();
    for (const t of tables.threads) {
      const p = byPid.get(t.pid);
      if (p) p.tids.push(t.tid);
      else byPid.set(t.pid, { thread: { ...t }, tids: [t.tid], open: new Map() });
    }
    for (const fd of tables.fds) {
      const p = byPid.get(fd.tid);
      if (p && fd.fd >= 3n) p.open.set(Number(fd.fd), fd.name ?? '');
    }
    this.procs = [...byPid.values()];
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)]!;
  }

  private emit(writer: CaptureWriter, tid: bigint, type: number, values: Record<string, ParamValue>): void {
    this.ts += 1n + BigInt(Math.floor(this.rand() * 20_000));
    const ev = this.enc.encodeNamed(this.ts, tid, type, values);
    writer.writeEvent(ev, 0, ev.length, Math.floor(this.rand() * CPUS), 0);
  }

  /** Writes one syscall's events (at most `budget`); returns how many. */
  next(writer: CaptureWriter, budget: number): number {
    const p = this.pick(this.procs);
    const tid = this.pick(p.tids);
    const r = this.rand();
    if (r < 0.22) return this.openat(writer, p, tid);
    if (r < 0.47) return this.readWrite(writer, p, tid, EV.READ_X);
    if (r < 0.67) return this.readWrite(writer, p, tid, EV.WRITE_X);
    if (r < 0.89) return this.close(writer, p, tid);
    if (r < 0.95 && budget >= 2) return this.connect(writer, p, tid);
    return this.execve(writer, p, tid);
  }

  private lowestFreeFd(p: ProcessState): number {
    let fd = 3;
    while (p.open.has(fd)) fd++;
    return fd;
  }

  private openat(writer: CaptureWriter, p: ProcessState, tid: bigint): number {
    const name = this.pick(FILES);
    const writing = name.startsWith('/var/log') || name.startsWith('/tmp');
    const fails = !writing && this.rand() < 0.05;
    const fd = fails ? -2 : this.lowestFreeFd(p);
    if (!fails) p.open.set(fd, name);
    this.emit(writer, tid, EV.OPENAT_2_X, {
      fd: BigInt(fd),
      dirfd: BigInt(AT_FDCWD),
      name,
      flags: (writing ? PPM_O_WRONLY | PPM_O_CREAT | PPM_O_APPEND : PPM_O_RDONLY) | PPM_O_CLOEXEC | (name.startsWith('/tmp') ? PPM_O_TRUNC : 0),
      mode: writing ? 0o644 : 0,
      dev: fails ? 0 : 0xfe01,
      ino: fails ? 0n : BigInt(this.nextIno++),
    });
    return 1;
  }

  private readWrite(writer: CaptureWriter, p: ProcessState, tid: bigint, type: number): number {
    const candidates = [...p.open.keys()];
    const fd = candidates.length > 0 && this.rand() < 0.8 ? this.pick(candidates) : type === EV.READ_X ? 0 : 1;
    const size = 1 + Math.floor(this.rand() * 4096);
    const shown = Math.min(size, 80);
    const text = (type === EV.READ_X ? 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n' : 'GET /index.html HTTP/1.1\r\nHost: example.com\r\n').repeat(2);
    this.emit(writer, tid, type, { res: BigInt(size), data: text.slice(0, shown), fd: BigInt(fd), size });
    return 1;
  }

  private close(writer: CaptureWriter, p: ProcessState, tid: bigint): number {
    const candidates = [...p.open.keys()];
    if (candidates.length === 0) {
      this.emit(writer, tid, EV.CLOSE_X, { res: -9n, fd: 77n }); // EBADF
      return 1;
    }
    const fd = this.pick(candidates);
    p.open.delete(fd);
    this.emit(writer, tid, EV.CLOSE_X, { res: 0n, fd: BigInt(fd) });
    return 1;
  }

  private connect(writer: CaptureWriter, p: ProcessState, tid: bigint): number {
    const fd = this.lowestFreeFd(p);
    p.open.set(fd, 'socket');
    this.emit(writer, tid, EV.SOCKET_X, { fd: BigInt(fd), domain: PPM_AF_INET, type: 1, proto: 0, flags: 0 });
    const dst = new Uint8Array([198, 51, 100, 1 + Math.floor(this.rand() * 250)]);
    const dport = this.pick([80, 443, 5432, 6379]);
    const sport = 32_768 + Math.floor(this.rand() * 28_000);
    const le = this.enc.littleEndian;
    // sockaddr: family u8, address (network order), port u16; tuple: family, src addr+port, dst addr+port
    const addr = new Uint8Array(7);
    addr[0] = PPM_AF_INET;
    addr.set(dst, 1);
    new DataView(addr.buffer).setUint16(5, dport, le);
    const tuple = new Uint8Array(13);
    tuple[0] = PPM_AF_INET;
    tuple.set([10, 0, 0, 5], 1);
    new DataView(tuple.buffer).setUint16(5, sport, le);
    tuple.set(dst, 7);
    new DataView(tuple.buffer).setUint16(11, dport, le);
    this.emit(writer, tid, EV.CONNECT_X, { res: -115n, tuple, fd: BigInt(fd), addr }); // EINPROGRESS
    return 2;
  }

  private execve(writer: CaptureWriter, p: ProcessState, tid: bigint): number {
    const target = this.pick(EXEC_TARGETS);
    const t = p.thread;
    this.emit(writer, tid, EV.EXECVE_19_X, {
      res: 0n,
      exe: target.comm,
      args: target.args.map((a) => a + '\0').join(''),
      tid,
      pid: t.pid,
      ptid: t.ptid,
      cwd: t.cwd,
      fdlimit: t.fdlimit,
      pgft_maj: t.pfmajor,
      pgft_min: t.pfminor,
      vm_size: 9_000,
      vm_rss: 3_000,
      vm_swap: 0,
      comm: target.comm,
      cgroups: t.cgroups.map((c) => c + '\0').join(''),
      env: t.env.map((e) => e + '\0').join(''),
      tty: t.tty,
      vpgid: t.vpgid,
      loginuid: t.loginuid,
      flags: 0,
      cap_inheritable: 0n,
      cap_permitted: t.capPermitted,
      cap_effective: t.capEffective,
      exe_ino: BigInt(2_000_000 + EXEC_TARGETS.indexOf(target)),
      exe_ino_ctime: 1_700_000_000_000_000_000n,
      exe_ino_mtime: 1_700_000_000_000_000_000n,
      uid: t.uid,
      trusted_exepath: target.path,
      pgid: t.pgid,
      gid: t.gid,
      filename: target.path,
    });
    t.comm = target.comm;
    t.exe = target.comm;
    t.args = target.args;
    // exec closes the O_CLOEXEC fds; keep it simple and forget the files opened since
    for (const [fd, what] of p.open) if (what.startsWith('/')) p.open.delete(fd);
    return 1;
  }
}
