// The system state replay and live capture keep (libsinsp's thread manager, fd tables, users,
// interfaces, container records), plus what the current event resolved to (its thread, its fd),
// which field extraction reads. Parsers (parsers.ts) update it from events.
import type { FdRecord, InterfaceRecord, ThreadRecord } from '../capture/capture-types.ts';
import { ThreadInfo } from './thread.ts';
import { FdInfo, FdTable } from './fd.ts';
import { UserTable } from './users.ts';
import { containerIdOf, parseCgroups } from './container-id.ts';
import { cwdForm } from './paths.ts';
import { endpointText, tupleName } from './fd-names.ts';

/** libsinsp's default thread table size. */
export const MAX_THREADS = 262144;

export interface ContainerRecord {
  id: string;
  json: Record<string, unknown>;
}

export interface StateCounters {
  threadsAdded: number;
  threadsRemoved: number;
  threadsRefused: number;
  threadsEvicted: number;
  placeholders: number;
}

export class SystemState {
  readonly threads = new Map<number, ThreadInfo>();
  readonly users = new UserTable();
  interfaces: InterfaceRecord[] = [];
  /** Boot time in ns since the epoch (from the capture's machine info). */
  bootTime = 0n;
  hostname = '';
  readonly containers = new Map<string, ContainerRecord>();
  readonly counters: StateCounters = { threadsAdded: 0, threadsRemoved: 0, threadsRefused: 0, threadsEvicted: 0, placeholders: 0 };

  // ---- the current event ----
  /** Sequence number of the current event (every event read counts). */
  evtNum = 0;
  /**
   * Bumped when a thread is added or removed through addThread/removeThread (eviction too).
   * With evtNum it tells readers that cache per event (ancestor walks) whether the thread
   * table may have changed: parsers change it only while processing an event.
   */
  threadsVersion = 0;
  /**
   * Timestamp of the first non-meta event (evt.reltime counts from it). The event parser sets
   * it on the first event that is not a user/group/container record.
   */
  firstEventTs = 0n;
  tinfo: ThreadInfo | undefined;
  fdinfo: FdInfo | undefined;
  /** fd.num of the current event (-1 when none). */
  lastEventFd = -1;
  /** The parser renamed the current event's fd (fd.name_changed). */
  nameChanged = false;
  /** Set by procexit: removed when the next event starts. */
  tidToRemove = -1;
  /**
   * Closed fds, removed when the next event starts (rules on close still see them): pairs of
   * table and fd in two reused arrays, so a close allocates nothing.
   */
  private readonly removeFdTables: (FdTable | undefined)[] = [];
  private readonly removeFds: number[] = [];
  private removeCount = 0;

  constructor(readonly maxThreads = MAX_THREADS) {}

  // ---- seeding from a capture's tables ----

  seedThread(r: ThreadRecord): void {
    const t = new ThreadInfo();
    t.tid = Number(r.tid);
    t.pid = Number(r.pid);
    t.ptid = Number(r.ptid);
    t.sid = Number(r.sid);
    t.vpgid = Number(r.vpgid);
    t.pgid = Number(r.pgid);
    t.vtid = Number(r.vtid);
    t.vpid = Number(r.vpid);
    t.comm = r.comm;
    t.exe = r.exe;
    t.exepath = r.exepath;
    t.args = r.args;
    t.env = r.env;
    t.cwd = r.cwd === '' ? '/' : cwdForm(r.cwd);
    t.root = r.root;
    t.uid = r.uid >>> 0;
    t.gid = r.gid >>> 0;
    t.loginuid = r.loginuid >>> 0;
    t.tty = r.tty;
    t.capInheritable = r.capInheritable;
    t.capPermitted = r.capPermitted;
    t.capEffective = r.capEffective;
    t.cloneFlags = r.flags;
    t.fdlimit = Number(r.fdlimit);
    t.cloneTs = r.cloneTs;
    t.pidnsInitStartTs = r.pidnsInitStartTs;
    t.exeWritable = r.exeWritable;
    t.exeUpperLayer = r.exeUpperLayer;
    t.exeLowerLayer = r.exeLowerLayer;
    t.exeFromMemfd = r.exeFromMemfd;
    t.exeIno = r.exeIno;
    t.exeInoCtime = r.exeInoCtime;
    t.exeInoMtime = r.exeInoMtime;
    t.cgroups = parseCgroups(r.cgroups) ?? [];
    this.addThread(t);
  }

  seedFd(r: FdRecord): void {
    const t = this.threads.get(Number(r.tid));
    if (!t) return;
    const f = new FdInfo();
    f.type = r.type;
    f.name = r.name ?? '';
    f.nameRaw = f.name;
    f.openFlags = r.openFlags ?? 0;
    f.dev = r.dev ?? 0;
    f.ino = r.ino;
    if (r.sip) f.sip = r.sip;
    if (r.dip) f.dip = r.dip;
    f.sport = r.sport ?? 0;
    f.dport = r.dport ?? 0;
    f.l4proto = l4protoOf(r.l4proto);
    f.unixSrc = r.unixSource ?? 0n;
    f.unixDst = r.unixDest ?? 0n;
    // Table sockets carry no name: it reads as libsinsp builds it from the addresses.
    if ((r.type === 'ipv4_sock' || r.type === 'ipv6_sock') && f.sip && f.dip) {
      if (r.type === 'ipv6_sock' && isV4Mapped(f.sip) && isV4Mapped(f.dip)) {
        f.type = 'ipv4_sock';
        f.sip = f.sip.slice(12);
        f.dip = f.dip.slice(12);
      }
      f.name = f.nameRaw = tupleName(f.sip, f.sport, f.dip, f.dport);
      if (f.l4proto === 'tcp') f.connected = true;
    } else if ((r.type === 'ipv4_servsock' || r.type === 'ipv6_servsock') && f.sip) {
      f.name = f.nameRaw = endpointText(f.sip, f.sport);
      f.role = 'server';
    } else if (r.type === 'unix_sock') {
      f.role = f.name === '' ? 'client' : 'server';
    }
    this.fdTableOf(t).set(Number(r.fd), f);
  }

  /** After the tables: threads share their process's fd table; container ids are computed. */
  finishSeeding(): void {
    this.threadsVersion++; // parents and fd tables are relinked below
    for (const t of this.threads.values()) {
      if (!t.isMainThread) {
        const main = this.threads.get(t.pid);
        if (main) {
          for (const [fd, info] of t.fds.fds) main.fds.set(fd, info);
          t.fds = main.fds;
        }
      }
      t.containerId = containerIdOf(t.cgroups);
    }
    // A thread whose parent is not in the table hangs off nothing (ptid 0), as after a /proc scan.
    for (const t of this.threads.values()) {
      if (t.invalid || t.pid === 1) continue;
      const parent = this.threads.get(t.ptid);
      if (!parent || parent.invalid) t.ptid = 0;
    }
  }

  // ---- thread table ----

  /**
   * Adds a thread. A full table first evicts its oldest placeholder or dead thread (they carry
   * the least); only when there is none is the new thread refused, as libsinsp refuses it.
   */
  addThread(t: ThreadInfo): boolean {
    if (!this.threads.has(t.tid) && this.threads.size >= this.maxThreads && !this.evictOne()) {
      this.counters.threadsRefused++;
      return false;
    }
    this.threads.set(t.tid, t);
    this.threadsVersion++;
    this.counters.threadsAdded++;
    return true;
  }

  private evictOne(): boolean {
    for (const [tid, o] of this.threads) {
      if (o.invalid || o.dead) {
        this.threads.delete(tid);
        this.threadsVersion++;
        this.counters.threadsEvicted++;
        return true;
      }
    }
    return false;
  }

  findThread(tid: number): ThreadInfo | undefined {
    return this.threads.get(tid);
  }

  /** Finds a thread, creating a placeholder when unknown (no /proc to ask in replay). */
  getThread(tid: number): ThreadInfo | undefined {
    const t = this.threads.get(tid);
    if (t || tid < 0) return t;
    const p = new ThreadInfo();
    p.tid = tid;
    this.counters.placeholders++;
    return this.addThread(p) ? p : undefined;
  }

  mainThread(t: ThreadInfo): ThreadInfo | undefined {
    if (t.isMainThread) return t;
    if (t.pid < 0) return undefined;
    return this.threads.get(t.pid);
  }

  parent(t: ThreadInfo): ThreadInfo | undefined {
    return this.threads.get(t.ptid);
  }

  fdTableOf(t: ThreadInfo): FdTable {
    return t.fds;
  }

  cwdOf(t: ThreadInfo): string {
    const m = this.mainThread(t);
    return m ? m.cwd : './';
  }

  envOf(t: ThreadInfo): string[] {
    return (this.mainThread(t) ?? t).env;
  }

  /** Removes a thread; its children are handed to a reaper (or lose their parent). */
  removeThread(tid: number): void {
    const t = this.threads.get(tid);
    if (!t) return;
    // A main thread whose group still has live threads stays (dead) until the last one exits.
    if (t.isMainThread) {
      for (const o of this.threads.values()) {
        if (o !== t && o.pid === t.pid && !o.dead) return;
      }
    }
    this.threads.delete(tid);
    this.threadsVersion++;
    this.counters.threadsRemoved++;
    let reaper: ThreadInfo | undefined;
    let searched = false;
    for (const c of this.threads.values()) {
      if (c.ptid !== tid) continue;
      if (!searched) {
        reaper = this.findReaper(t);
        searched = true;
      }
      c.ptid = reaper ? reaper.tid : 0;
    }
    if (!t.isMainThread) {
      const main = this.threads.get(t.pid);
      if (main && main.dead) this.removeThread(main.tid);
    }
  }

  /** Another live thread of the group, else the nearest ancestor that reaps (pid 1 or subreaper). */
  private findReaper(t: ThreadInfo): ThreadInfo | undefined {
    for (const o of this.threads.values()) if (o.pid === t.pid && o.tid !== t.tid && !o.dead) return o;
    const seen = new Set<number>();
    for (let a = this.parent(t); a && !seen.has(a.tid); a = this.parent(a)) {
      seen.add(a.tid);
      if (a.vpid === 1 || a.pid === 1 || a.childSubreaper) return a;
    }
    return undefined;
  }

  /** Applies the removals the previous event scheduled. */
  flushDeferred(): void {
    if (this.tidToRemove >= 0) {
      this.removeThread(this.tidToRemove);
      this.tidToRemove = -1;
    }
    const n = this.removeCount;
    if (n === 0) return;
    for (let i = 0; i < n; i++) {
      this.removeFdTables[i]!.delete(this.removeFds[i]!);
      this.removeFdTables[i] = undefined; // not kept reachable after its thread is gone
    }
    this.removeCount = 0;
  }

  /** Removes fd `fd` of `table` when the next event starts. */
  scheduleFdRemoval(table: FdTable, fd: number): void {
    this.removeFdTables[this.removeCount] = table;
    this.removeFds[this.removeCount] = fd;
    this.removeCount++;
  }

  /** Whether `addr` belongs to this host: one of the capture's interface addresses. */
  isLocalAddress(addr: Uint8Array): boolean {
    for (const i of this.interfaces) if (sameBytes(i.addr, addr)) return true;
    return false;
  }

  /** The local address a socket talking to `remote` uses: the interface on its subnet, else the first non-loopback one. */
  localAddressFor(remote: Uint8Array): Uint8Array | undefined {
    let fallback: Uint8Array | undefined;
    for (const i of this.interfaces) {
      if (i.addr.length !== remote.length) continue;
      if (sameSubnet(i.addr, remote, i.netmask)) return i.addr;
      if (!fallback && i.addr[0] !== 127) fallback = i.addr;
    }
    return fallback;
  }

  /** Recomputes a thread's container id from its cgroups (after clone/execve/chroot). */
  updateContainerId(t: ThreadInfo): void {
    t.containerId = containerIdOf(t.cgroups);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameSubnet(a: Uint8Array, b: Uint8Array, mask: Uint8Array): boolean {
  let any = false;
  for (let i = 0; i < a.length; i++) {
    const m = mask[i] ?? 0;
    if (m) any = true;
    if ((a[i]! & m) !== (b[i]! & m)) return false;
  }
  return any;
}

export function l4protoOf(n: number | undefined): FdInfo['l4proto'] {
  // libscap's scap_l4_proto: 0 unknown, 1 not a socket, then these.
  switch (n) {
    case 2:
      return 'tcp';
    case 3:
      return 'udp';
    case 4:
      return 'icmp';
    case 5:
      return 'raw';
    default:
      return undefined;
  }
}

/** ::ffff:a.b.c.d */
function isV4Mapped(a: Uint8Array): boolean {
  return a.length === 16 && a.subarray(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff;
}
