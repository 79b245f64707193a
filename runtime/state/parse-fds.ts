// Fd-table updates: opens, sockets (socket/connect/accept/bind/send/recv), pipes and the other
// fd-creating calls, dup/fcntl copies, close/close_range. Handlers run after the event's
// thread and (for fd-using events) its fd entry were looked up.
import type { EventView } from '../events/event-view.ts';
import { decodeSockaddr, decodeTuple, type InetEndpoint } from '../events/socket-params.ts';
import type { FdType } from '../capture/capture-types.ts';
import { FdInfo, isIpSocket } from './fd.ts';
import type { L4Proto } from './fd.ts';
import type { ThreadInfo } from './thread.ts';
import type { SystemState } from './system-state.ts';
import { big, bytes, has, int, paramAt, str, paramSlots } from './event-params.ts';
import { resolvePath } from './paths.ts';
import { endpointsName, endpointText, unixName } from './fd-names.ts';
import { AT_FDCWD, PPM_O_CLOEXEC, PPM_O_CREAT, PPM_O_DIRECTORY, PPM_O_TRUNC, PPM_O_WRONLY } from '../events/ppm-flags.ts';

const P = paramSlots('addr', 'arg', 'cmd', 'creat_flags', 'dev', 'dirfd', 'domain', 'fd1', 'fd2', 'first', 'flags', 'ino', 'last', 'name', 'path', 'peer', 'pid', 'pid_fd', 'proto', 'source', 'target_fd', 'tuple', 'type');

const EINPROGRESS = -115;

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0x80000;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_RAW = 255;

const F_DUPFD = 1;
const F_SETFD = 3;
const F_DUPFD_CLOEXEC = 26;
const CLOSE_RANGE_CLOEXEC = 4;

/** Adds an entry the event created; it becomes the event's fd (fd.num, fd.name …). */
function addFd(state: SystemState, t: ThreadInfo, fd: number, info: FdInfo): void {
  t.fds.set(fd, info);
  state.fdinfo = t.fds.get(fd);
  state.lastEventFd = fd;
}

function newFd(type: FdType, name = ''): FdInfo {
  const f = new FdInfo();
  f.type = type;
  f.name = name;
  f.nameRaw = name;
  return f;
}

/** The directory a relative path of an *at call is resolved against. */
export function dirfdBase(state: SystemState, t: ThreadInfo, dirfd: number): string {
  if (dirfd === AT_FDCWD) return state.cwdOf(t);
  const d = t.fds.get(dirfd);
  return d ? d.name : '<UNKNOWN>';
}

export function parseOpenExit(state: SystemState, v: EventView, t: ThreadInfo, enter: EventView | undefined): void {
  const fd = v.int(0);
  if (fd < 0) return;
  // Old openat exits carry only the fd; the enter event has the rest.
  const src = paramAt(v, P.name) >= 0 || !enter ? v : enter;
  const name = has(src, P.path) ? str(src, P.path) : str(src, P.name);
  let flags = int(src, P.flags, 0, false);
  let base: string;
  if (v.name === 'openat' || v.name === 'openat2') base = name.startsWith('/') ? '' : dirfdBase(state, t, int(src, P.dirfd));
  else if (v.name === 'open_by_handle_at') base = '';
  else base = state.cwdOf(t);
  if (v.name === 'creat') flags = PPM_O_CREAT | PPM_O_WRONLY | PPM_O_TRUNC | (int(v, P.creat_flags, 0, false) & ~0xffff);
  const f = newFd(flags & PPM_O_DIRECTORY ? 'directory' : 'file_v2');
  f.nameRaw = name;
  f.name = base === '' ? resolvePath('/', name) : resolvePath(base, name);
  f.openFlags = flags;
  f.dev = int(v, P.dev, 0, false);
  f.ino = big(v, P.ino);
  f.cloexec = (flags & PPM_O_CLOEXEC) !== 0;
  addFd(state, t, fd, f);
}

function l4protoFor(type: number, proto: number): L4Proto | undefined {
  switch (proto) {
    case IPPROTO_TCP:
      return type === SOCK_RAW ? 'raw' : 'tcp';
    case IPPROTO_UDP:
      return 'udp';
    case IPPROTO_ICMP:
      return 'icmp';
    case IPPROTO_RAW:
      return 'raw';
    case 0:
      return type === SOCK_STREAM ? 'tcp' : type === SOCK_DGRAM ? 'udp' : type === SOCK_RAW ? 'raw' : undefined;
    default:
      return type === SOCK_RAW ? 'raw' : undefined;
  }
}

/** `params`: the exit itself, or its enter event for old exits that only carry the fd. */
export function parseSocketExit(state: SystemState, v: EventView, params: EventView, t: ThreadInfo): void {
  const fd = v.int(0);
  if (fd < 0) return;
  const domain = int(params, P.domain, 0, false);
  const rawType = int(params, P.type, 0, false);
  const type = rawType & 0xf;
  let f: FdInfo;
  if (domain === AF_UNIX) f = newFd('unix_sock');
  else if (domain === AF_INET || domain === AF_INET6) {
    f = newFd(domain === AF_INET ? 'ipv4_sock' : 'ipv6_sock');
    f.l4proto = l4protoFor(type, int(params, P.proto, 0, false));
  } else if (domain === AF_NETLINK) f = newFd('netlink');
  else f = newFd('unknown');
  f.cloexec = (rawType & SOCK_CLOEXEC) !== 0 || (int(v, P.flags, 0, false) & PPM_O_CLOEXEC) !== 0;
  addFd(state, t, fd, f);
}

/** Simple fd-creating calls: the new fd is the return value, the entry has no name. */
const SIMPLE_TYPES: Readonly<Record<string, FdType>> = {
  eventfd: 'event', eventfd2: 'event', signalfd: 'signalfd', signalfd4: 'signalfd', timerfd_create: 'timerfd',
  inotify_init: 'inotify', inotify_init1: 'inotify', epoll_create: 'eventpoll', epoll_create1: 'eventpoll',
  bpf: 'bpf', userfaultfd: 'userfaultfd', io_uring_setup: 'io_uring',
};

export function parseSimpleFdExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  const fd = v.int(0);
  const type = SIMPLE_TYPES[v.name];
  if (fd < 0 || !type || v.paramInfo[0]?.type === 'DYN') return;
  const f = newFd(type);
  f.cloexec = (int(v, P.flags, 0, false) & PPM_O_CLOEXEC) !== 0;
  addFd(state, t, fd, f);
}

export function parseMemfdExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  const fd = v.int(0);
  if (fd >= 0) addFd(state, t, fd, newFd('memfd', str(v, P.name)));
}

export function parsePidfdOpenExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  const fd = v.int(0);
  if (fd >= 0) addFd(state, t, fd, newFd('pidfd', `/proc/${int(v, P.pid)}`));
}

export function parsePidfdGetfdExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  const fd = v.int(0);
  if (fd < 0) return;
  const pidfd = t.fds.get(int(v, P.pid_fd));
  const m = pidfd?.name.match(/^\/proc\/(\d+)$/);
  const target = m ? state.findThread(Number(m[1])) : undefined;
  const src = target?.fds.get(int(v, P.target_fd));
  if (src) addFd(state, t, fd, src.clone());
}

export function parsePipeExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  if (v.int(0) < 0) return;
  const cloexec = (int(v, P.flags, 0, false) & PPM_O_CLOEXEC) !== 0;
  const ino = big(v, P.ino);
  for (const slot of [P.fd1, P.fd2]) {
    const f = newFd('fifo');
    f.ino = ino;
    f.cloexec = cloexec;
    addFd(state, t, int(v, slot), f);
  }
}

export function parseSocketpairExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  if (v.int(0) < 0) return;
  const source = big(v, P.source);
  const peer = big(v, P.peer);
  const a = newFd('unix_sock');
  a.unixSrc = source;
  a.unixDst = peer;
  const b = newFd('unix_sock');
  b.unixSrc = peer;
  b.unixDst = source;
  addFd(state, t, int(v, P.fd1), a);
  addFd(state, t, int(v, P.fd2), b);
}

function setInet(f: FdInfo, src: InetEndpoint, dst: InetEndpoint): void {
  f.type = src.family === 4 ? (f.type === 'ipv4_servsock' ? f.type : 'ipv4_sock') : f.type === 'ipv6_servsock' ? f.type : 'ipv6_sock';
  f.sip = src.addr;
  f.sport = src.port;
  f.dip = dst.addr;
  f.dport = dst.port;
}

function rename(state: SystemState, f: FdInfo, name: string): void {
  if (f.name !== name) state.nameChanged = true;
  f.name = name;
}

export function parseConnectExit(state: SystemState, v: EventView, enter: EventView | undefined): void {
  const res = v.int(0);
  const f = state.fdinfo;
  if ((res < 0 && res !== EINPROGRESS) || !f) return;
  let tuple = decodeTuple(bytes(v, P.tuple));
  if (!tuple) {
    const addr = decodeSockaddr(bytes(v, P.addr)) ?? (enter ? decodeSockaddr(bytes(enter, P.addr)) : undefined);
    if (addr?.kind === 'inet') {
      const zero: InetEndpoint = { family: addr.ep.family, addr: new Uint8Array(addr.ep.family === 4 ? 4 : 16), port: 0 };
      tuple = { kind: 'inet', src: zero, dst: addr.ep };
    } else if (addr?.kind === 'unix') tuple = { kind: 'unix', src: 0n, dst: 0n, path: addr.path };
    else return;
  }
  f.connected = true;
  if (tuple.kind === 'inet') {
    setInet(f, tuple.src, tuple.dst);
    if (!f.role) f.role = 'client';
    rename(state, f, endpointsName(tuple.src, tuple.dst));
  } else if (tuple.kind === 'unix') {
    f.type = 'unix_sock';
    f.unixSrc = tuple.src;
    f.unixDst = tuple.dst;
    rename(state, f, unixName(tuple.src, tuple.dst, tuple.path));
  }
}

export function parseAcceptExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  const fd = v.int(0);
  if (fd < 0) return;
  const tuple = decodeTuple(bytes(v, P.tuple));
  let f: FdInfo;
  if (tuple?.kind === 'inet') {
    f = newFd(tuple.src.family === 4 ? 'ipv4_sock' : 'ipv6_sock', endpointsName(tuple.src, tuple.dst));
    setInet(f, tuple.src, tuple.dst);
    f.l4proto = 'tcp';
  } else if (tuple?.kind === 'unix') {
    f = newFd('unix_sock', unixName(tuple.src, tuple.dst, tuple.path));
    f.unixSrc = tuple.src;
    f.unixDst = tuple.dst;
  } else f = newFd('unknown');
  f.nameRaw = f.name;
  f.role = 'server';
  f.connected = true;
  f.cloexec = (int(v, P.flags, 0) & PPM_O_CLOEXEC) !== 0;
  addFd(state, t, fd, f);
}

export function parseBindExit(state: SystemState, v: EventView): void {
  const f = state.fdinfo;
  if (v.int(0) < 0 || !f) return;
  const addr = decodeSockaddr(bytes(v, P.addr));
  if (addr?.kind === 'inet') {
    f.name = endpointText(addr.ep.addr, addr.ep.port);
    if (addr.ep.port > 0) {
      f.type = addr.ep.family === 4 ? 'ipv4_servsock' : 'ipv6_servsock';
      f.sip = addr.ep.addr;
      f.sport = addr.ep.port;
      f.role = 'server';
    }
  } else if (addr?.kind === 'unix') f.name = addr.path;
}

/** sendto/sendmsg/recvfrom/recvmsg with a tuple: the socket is connected; datagram sockets learn their peer. */
export function parseReadWriteExit(state: SystemState, v: EventView, isWrite: boolean): void {
  const f = state.fdinfo;
  if (v.int(0) < 0 || !f) return;
  if (f.type === 'unix_sock') {
    if (f.name === '') {
      const tu = decodeTuple(bytes(v, P.tuple));
      if (tu?.kind === 'unix') {
        f.unixSrc = tu.src;
        f.unixDst = tu.dst;
        rename(state, f, unixName(tu.src, tu.dst, tu.path));
      }
    }
    return;
  }
  if (!isIpSocket(f.type)) return;
  f.connected = true;
  if (f.name !== '' && f.l4proto === 'tcp') return;
  const tu = decodeTuple(bytes(v, P.tuple));
  if (tu?.kind !== 'inet') return;
  if (!f.l4proto) f.l4proto = 'udp';
  if (!f.role) f.role = 'client';
  // Entries keep client→server order: a client's read and a server's write come reversed.
  const swap = (!isWrite && f.role === 'client') || (isWrite && f.role === 'server');
  let src = swap ? tu.dst : tu.src;
  const dst = swap ? tu.src : tu.dst;
  if (src.family === 4 && src.addr.every((b) => b === 0)) src = { ...src, addr: state.localAddressFor(dst.addr) ?? src.addr };
  setInet(f, src, dst);
  rename(state, f, endpointsName(src, dst));
}

export function parseDupExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  const res = v.int(0);
  const old = state.fdinfo;
  if (res < 0 || !old) return;
  const oldFd = state.lastEventFd;
  state.lastEventFd = res;
  if (res === oldFd) return;
  const copy = old.clone();
  copy.cloexec = v.name === 'dup3' && (int(v, P.flags, 0, false) & PPM_O_CLOEXEC) !== 0;
  t.fds.delete(res);
  t.fds.set(res, copy);
}

export function parseFcntlExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  const res = v.int(0);
  const f = state.fdinfo;
  if (res < 0 || !f) return;
  const cmd = int(v, P.cmd, 0, false);
  if (cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC) {
    const copy = f.clone();
    copy.cloexec = cmd === F_DUPFD_CLOEXEC;
    t.fds.set(res, copy);
    state.lastEventFd = res;
  } else if (cmd === F_SETFD) {
    f.cloexec = (int(v, P.arg, 0, false) & 1) !== 0;
  }
}

export function parseCloseExit(state: SystemState, v: EventView, t: ThreadInfo): void {
  if (v.int(0) < 0 || state.lastEventFd < 0) return;
  // Removed when the next event starts, so rules on this close still see the fd.
  state.scheduleFdRemoval(t.fds, state.lastEventFd);
}

export function parseCloseRangeExit(v: EventView, t: ThreadInfo): void {
  if (v.int(0) !== 0) return;
  const first = int(v, P.first, 0, false);
  const last = int(v, P.last, 0, false);
  const cloexec = (int(v, P.flags, 0, false) & CLOSE_RANGE_CLOEXEC) !== 0;
  for (const [fd, info] of t.fds.fds) {
    if (fd < first || fd > last) continue;
    if (cloexec) info.cloexec = true;
    else t.fds.delete(fd);
  }
}
