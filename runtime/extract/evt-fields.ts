// evt.* and syscall.type: the event itself (number, time, type, return value, parameters).
import { bigintOf } from './small-bigint.ts';
import { EVENTS } from '../events/event-table.ts';
import { AT_FDCWD, PPM_O_CREAT, PPM_O_F_CREATED, PPM_O_RDONLY, PPM_O_TMPFILE, PPM_O_WRONLY } from '../events/ppm-flags.ts';
import type { Value } from '../operators/values.ts';
import type { EventView } from '../events/event-view.ts';
import { isServerSocket, isIpSocket, type FdInfo } from '../state/fd.ts';
import { concatenatePaths } from './path-concat.ts';
import { type EventContext, type Extractor, type ExtractorFactory, noValue } from './context.ts';
import {
  ASYNCEVENT_CODE, GENERIC_EXIT_CODE, IS_ENTER, IS_META, IS_SYSCALL, READS_FD, WAITS, WRITES_FD, eventCategory, eventEnum,
  hasReturnValue, returnValue,
} from './event-traits.ts';
import { errnoName, syscallName } from './kernel-names.ts';
import { argsText, paramText, stringParam } from './param-render.ts';
import { rawParamValue } from './raw-param.ts';
import { localDateTime, localDateTimeSeconds, localTime, localTimeSeconds, utcTime } from './time-text.ts';

const NS = 1_000_000_000n;

/** evt.type: the event name; generic events show their syscall, async events their own name. */
export function eventTypeName(v: EventView): string {
  if (v.type === GENERIC_EXIT_CODE) return syscallName(v.int(0, false));
  if (v.type === ASYNCEVENT_CODE) return v.nparams > 1 ? stringParam(v, 1) : v.name;
  return v.name;
}

/** The parameter index of `name` for each event code, looked up on first use. */
function paramIndexer(name: string): (v: EventView) => number {
  const cache = new Int16Array(EVENTS.length).fill(-2);
  return (v) => {
    let i = cache[v.type]!;
    if (i === -2) cache[v.type] = i = v.paramIndex(name);
    return i < v.nparams ? i : -1;
  };
}

/** A value computed from the return value; none for events without one. */
const res = (f: (r: number) => Value): Extractor => (ctx) => (hasReturnValue(ctx.view) ? f(returnValue(ctx.view)) : undefined);

const FILE_TYPES = new Set(['file', 'file_v2', 'directory']);
const NET_TYPES = new Set(['ipv4_sock', 'ipv6_sock', 'ipv4_servsock', 'ipv6_servsock']);
const IPC_TYPES = new Set(['fifo', 'unix_sock', 'event', 'signalfd', 'inotify', 'userfaultfd']);

/** Category name; I/O events are named by the kind of fd they use. */
function categoryOf(ctx: EventContext): string {
  const c = eventCategory(ctx.view.type);
  if (c === 'ipc') return 'IPC';
  if (!c.startsWith('io_')) return c;
  const f = ctx.state.fdinfo;
  if (!f) return 'unknown';
  return FILE_TYPES.has(f.type) ? 'file' : NET_TYPES.has(f.type) ? 'net' : IPC_TYPES.has(f.type) ? 'ipc' : 'unknown';
}

/** evt.buflen family: the return value of an I/O exit on a known fd, when the fd passes `ok`. */
function buflen(category: string | undefined, ok: (f: FdInfo) => boolean = () => true): Extractor {
  return (ctx) => {
    const v = ctx.view;
    const f = ctx.state.fdinfo;
    if (!f || IS_ENTER[v.type] || !ok(f)) return undefined;
    const c = eventCategory(v.type);
    if (category ? c !== category : !c.startsWith('io_')) return undefined;
    if (!hasReturnValue(v)) return undefined;
    const r = returnValue(v);
    return r >= 0 ? bigintOf(r) : undefined;
  };
}
const isFileFd = (f: FdInfo) => f.type === 'file' || f.type === 'file_v2';
const isNetFd = (f: FdInfo) => isIpSocket(f.type) || isServerSocket(f.type);

/** evt.count.error*: 1 when the syscall failed, 0 when it succeeded, no value without a return value. */
const errorCount: Extractor = (ctx) => (hasReturnValue(ctx.view) ? (returnValue(ctx.view) < 0 ? 1n : 0n) : undefined);

const OPEN_EXITS = new Set(['PPME_SYSCALL_OPEN_X', 'PPME_SYSCALL_OPENAT_2_X', 'PPME_SYSCALL_OPENAT2_X', 'PPME_SYSCALL_OPEN_BY_HANDLE_AT_X']);
const EXEC_BITS = 0o111;

const enum OpenKind {
  None,
  /** open, open_by_handle_at: flags at 2 (open: mode at 3). */
  Old,
  ByHandle,
  /** openat, openat2: flags at 3, mode at 4. */
  New,
  Creat,
}
const OPEN_KIND: readonly OpenKind[] = EVENTS.map((e) =>
  e.enum === 'PPME_SYSCALL_OPEN_X' ? OpenKind.Old
  : e.enum === 'PPME_SYSCALL_OPEN_BY_HANDLE_AT_X' ? OpenKind.ByHandle
  : e.enum === 'PPME_SYSCALL_OPENAT_2_X' || e.enum === 'PPME_SYSCALL_OPENAT2_X' ? OpenKind.New
  : e.enum === 'PPME_SYSCALL_CREAT_X' ? OpenKind.Creat
  : OpenKind.None,
);

const uintParam = (v: EventView, i: number) => (i < v.nparams && v.paramLength(i) > 0 ? v.int(i, false) : 0);

/** evt.is_open_*: from the open flags (and mode) parameters of the open family. */
function isOpen(kind: 'read' | 'write' | 'exec' | 'create'): Extractor {
  return (ctx) => {
    const v = ctx.view;
    const k = OPEN_KIND[v.type] ?? OpenKind.None;
    if (k === OpenKind.None) return false;
    if (k === OpenKind.Creat) return kind === 'exec' && (uintParam(v, 2) & EXEC_BITS) !== 0;
    const flags = uintParam(v, k === OpenKind.New ? 3 : 2);
    switch (kind) {
      case 'read':
        return (flags & PPM_O_RDONLY) !== 0;
      case 'write':
        return (flags & PPM_O_WRONLY) !== 0;
      case 'create':
        return (flags & PPM_O_F_CREATED) !== 0 || ((flags & PPM_O_TMPFILE) !== 0 && hasReturnValue(v) && returnValue(v) >= 0);
      case 'exec':
        // open_by_handle_at has no mode parameter.
        if (!(flags & (PPM_O_TMPFILE | PPM_O_CREAT)) || k === OpenKind.ByHandle) return false;
        return (uintParam(v, k === OpenKind.New ? 4 : 3) & EXEC_BITS) !== 0;
    }
  };
}

/** evt.abspath[.src|.dst]: the dirfd-relative path argument made absolute. */
const ABSPATH_ARGS: Readonly<Record<string, readonly [string, string, string, string] | readonly [string, string]>> = {
  PPME_SYSCALL_RENAMEAT_X: ['olddirfd', 'oldpath', 'newdirfd', 'newpath'],
  PPME_SYSCALL_RENAMEAT2_X: ['olddirfd', 'oldpath', 'newdirfd', 'newpath'],
  PPME_SYSCALL_LINKAT_2_X: ['olddir', 'oldpath', 'newdir', 'newpath'],
  PPME_SYSCALL_SYMLINKAT_X: ['linkdirfd', 'linkpath'],
  PPME_SYSCALL_OPENAT_2_X: ['dirfd', 'name'],
  PPME_SYSCALL_OPENAT2_X: ['dirfd', 'name'],
  PPME_SYSCALL_UNLINKAT_2_X: ['dirfd', 'name'],
  PPME_SYSCALL_MKDIRAT_X: ['dirfd', 'path'],
  PPME_SYSCALL_FCHMODAT_X: ['dirfd', 'filename'],
  PPME_SYSCALL_FCHOWNAT_X: ['dirfd', 'pathname'],
};

function abspath(which: string | undefined): Extractor {
  const dst = which === 'dst';
  return (ctx) => {
    const v = ctx.view;
    const t = ctx.state.tinfo;
    if (!t) return undefined;
    const e = eventEnum(v.type);
    if (e === 'PPME_SYSCALL_OPEN_BY_HANDLE_AT_X') {
      return hasReturnValue(v) && returnValue(v) > 0 ? concatenatePaths('', stringParam(v, 3)) : undefined;
    }
    const args = ABSPATH_ARGS[e];
    if (!args) return undefined;
    const [dirName, pathName] = dst && args.length === 4 ? [args[2], args[3]] : [args[0], args[1]];
    const di = v.paramIndex(dirName);
    const pi = v.paramIndex(pathName);
    if (di < 0 || pi < 0 || di >= v.nparams || pi >= v.nparams || v.paramLength(di) === 0 || v.paramLength(pi) === 0) return undefined;
    const path = stringParam(v, pi);
    const dirfd = v.int(di);
    let base: string;
    if (path.startsWith('/')) base = '.';
    else if (dirfd === AT_FDCWD) base = ctx.state.cwdOf(t);
    else {
      const d = t.fds.get(dirfd);
      base = d ? d.name + '/' : '<UNKNOWN>/';
    }
    return concatenatePaths(base, path);
  };
}

/** evt.deltatime family: time since the previous event this same field saw (0 the first time). */
function deltaTime(part: 'all' | 's' | 'ns'): Extractor {
  let last = 0n;
  return (ctx) => {
    const ts = ctx.view.ts;
    const d = last === 0n ? 0n : ts - last;
    last = ts;
    return part === 's' ? d / NS : part === 'ns' ? d % NS : d;
  };
}

/** evt.reltime family: time since the first event of the capture (or of the live run). */
function relTime(part: 'all' | 's' | 'ns'): Extractor {
  return (ctx) => {
    const d = ctx.view.ts - ctx.state.firstEventTs;
    return part === 's' ? d / NS : part === 'ns' ? d % NS : d;
  };
}

function argByName(name: string): Extractor {
  const index = paramIndexer(name);
  return (ctx) => {
    const i = index(ctx.view);
    return i < 0 ? undefined : paramText(ctx, i);
  };
}

function rawArg(name: string): Extractor {
  const index = paramIndexer(name);
  return (ctx) => {
    const i = index(ctx.view);
    return i < 0 ? undefined : rawParamValue(ctx, i);
  };
}

const dataIndex = paramIndexer('data');

export const EVT_FIELDS: Readonly<Record<string, ExtractorFactory>> = {
  'evt.num': () => (ctx) => bigintOf(ctx.state.evtNum),
  'evt.time': () => (ctx) => localTime(ctx.view.ts),
  'evt.time.s': () => (ctx) => localTimeSeconds(ctx.view.ts),
  'evt.time.iso8601': () => (ctx) => utcTime(ctx.view.ts),
  'evt.datetime': () => (ctx) => localDateTime(ctx.view.ts),
  'evt.datetime.s': () => (ctx) => localDateTimeSeconds(ctx.view.ts),
  'evt.rawtime': () => (ctx) => ctx.view.ts,
  'evt.rawtime.s': () => (ctx) => ctx.view.ts / NS,
  'evt.rawtime.ns': () => (ctx) => ctx.view.ts % NS,
  'evt.reltime': () => relTime('all'),
  'evt.reltime.s': () => relTime('s'),
  'evt.reltime.ns': () => relTime('ns'),
  // Only plugin events have a plugin; syscall-source events never do.
  'evt.pluginname': () => noValue,
  'evt.plugininfo': () => noValue,
  'evt.source': () => () => 'syscall',
  'evt.is_async': () => (ctx) => IS_META[ctx.view.type] === 1,
  'evt.asynctype': () => (ctx) => (IS_META[ctx.view.type] ? eventTypeName(ctx.view) : undefined),
  'evt.hostname': () => (ctx) => ctx.state.hostname,
  // Enter events are gone, so libsinsp reports these deprecated latencies as 0.
  'evt.latency': () => () => 0n,
  'evt.latency.s': () => () => 0n,
  'evt.latency.ns': () => () => 0n,
  'evt.latency.quantized': () => () => 0n,
  'evt.latency.human': () => () => '0ns',
  'evt.wait_latency': () => () => 0n,
  'evt.deltatime': () => deltaTime('all'),
  'evt.deltatime.s': () => deltaTime('s'),
  'evt.deltatime.ns': () => deltaTime('ns'),
  'evt.outputtime': () => (ctx) => localTime(ctx.view.ts),
  'evt.dir': () => (ctx) => (IS_ENTER[ctx.view.type] ? '>' : '<'),
  'evt.type': () => (ctx) => eventTypeName(ctx.view),
  // The argument names an event type; the catalog (and so the checker) takes a number: the
  // event code.
  'evt.type.is': (ref) => {
    const arg = ref.arg ?? '';
    const code = ref.argIndex;
    return code !== undefined ? (ctx) => (ctx.view.type === code ? 1n : 0n) : (ctx) => (ctx.view.name === arg ? 1n : 0n);
  },
  'syscall.type': () => (ctx) => (IS_SYSCALL[ctx.view.type] ? eventTypeName(ctx.view) : undefined),
  'evt.category': () => categoryOf,
  // The capture records the CPU per block; the event view does not carry it.
  'evt.cpu': () => noValue,
  'evt.args': () => argsText,
  'evt.info': () => argsText,
  'evt.arg': (ref) => {
    if (ref.argIndex !== undefined) {
      const n = ref.argIndex;
      return (ctx) => (n < ctx.view.nparams ? paramText(ctx, n) : undefined);
    }
    return argByName(ref.arg ?? '');
  },
  'evt.rawarg': (ref) => rawArg(ref.arg ?? ''),
  'evt.buffer': () => (ctx) => {
    const i = dataIndex(ctx.view);
    return i < 0 ? undefined : ctx.view.text(i);
  },
  'evt.buflen': () => buflen(undefined),
  'evt.buflen.in': () => buflen('io_read'),
  'evt.buflen.out': () => buflen('io_write'),
  'evt.buflen.file': () => buflen(undefined, isFileFd),
  'evt.buflen.file.in': () => buflen('io_read', isFileFd),
  'evt.buflen.file.out': () => buflen('io_write', isFileFd),
  'evt.buflen.net': () => buflen(undefined, isNetFd),
  'evt.buflen.net.in': () => buflen('io_read', isNetFd),
  'evt.buflen.net.out': () => buflen('io_write', isNetFd),
  'evt.res': () => (ctx) => {
    if (!hasReturnValue(ctx.view)) return undefined;
    const r = returnValue(ctx.view);
    if (r >= 0) return 'SUCCESS';
    return errnoName(r) || String(r);
  },
  'evt.rawres': () => res((r) => bigintOf(r)),
  'evt.failed': () => res((r) => r < 0),
  'evt.is_io': () => (ctx) => READS_FD[ctx.view.type] === 1 || WRITES_FD[ctx.view.type] === 1,
  'evt.is_io_read': () => (ctx) => READS_FD[ctx.view.type] === 1,
  'evt.is_io_write': () => (ctx) => WRITES_FD[ctx.view.type] === 1,
  'evt.io_dir': () => (ctx) => (WRITES_FD[ctx.view.type] ? 'write' : READS_FD[ctx.view.type] ? 'read' : undefined),
  'evt.is_wait': () => (ctx) => WAITS[ctx.view.type] === 1,
  'evt.is_syslog': () => (ctx) => WRITES_FD[ctx.view.type] === 1 && (ctx.state.fdinfo?.name.includes('/dev/log') ?? false),
  'evt.count': () => () => 1n,
  'evt.count.error': () => errorCount,
  'evt.count.error.file': () => (ctx) => {
    const f = ctx.state.fdinfo;
    if (f) return FILE_TYPES.has(f.type) ? errorCount(ctx) : undefined;
    const e = eventEnum(ctx.view.type);
    return OPEN_EXITS.has(e) || e === 'PPME_SYSCALL_CREAT_X' ? errorCount(ctx) : undefined;
  },
  'evt.count.error.net': () => (ctx) => {
    const f = ctx.state.fdinfo;
    if (f) return isNetFd(f) || f.type === 'unix_sock' ? errorCount(ctx) : undefined;
    const e = eventEnum(ctx.view.type);
    return e === 'PPME_SOCKET_ACCEPT_5_X' || e === 'PPME_SOCKET_ACCEPT4_6_X' || e === 'PPME_SOCKET_CONNECT_X' ? errorCount(ctx) : undefined;
  },
  'evt.count.error.memory': () => (ctx) => (eventCategory(ctx.view.type) === 'memory' ? errorCount(ctx) : undefined),
  'evt.count.error.other': () => (ctx) => {
    const f = ctx.state.fdinfo;
    if (f) return FILE_TYPES.has(f.type) || isNetFd(f) || f.type === 'unix_sock' ? undefined : errorCount(ctx);
    const e = eventEnum(ctx.view.type);
    const classified =
      OPEN_EXITS.has(e) || e === 'PPME_SYSCALL_CREAT_X' || e === 'PPME_SOCKET_ACCEPT_5_X' || e === 'PPME_SOCKET_ACCEPT4_6_X' ||
      e === 'PPME_SOCKET_CONNECT_X' || eventCategory(ctx.view.type) === 'memory';
    return classified ? undefined : errorCount(ctx);
  },
  'evt.count.exit': () => (ctx) => (IS_ENTER[ctx.view.type] ? undefined : 1n),
  'evt.count.procinfo': () => (ctx) => (ctx.view.name === 'procinfo' && ctx.state.tinfo?.isMainThread ? 1n : 0n),
  'evt.count.threadinfo': () => (ctx) => (ctx.view.name === 'procinfo' ? 1n : 0n),
  // evt.around[T] = D compares the event time with T ± D ms: the interpreter has no hook for
  // a check that needs its right-hand value, so it never matches here.
  'evt.around': () => noValue,
  'evt.abspath': (ref) => abspath(ref.arg),
  'evt.is_open_read': () => isOpen('read'),
  'evt.is_open_write': () => isOpen('write'),
  'evt.is_open_exec': () => isOpen('exec'),
  'evt.is_open_create': () => isOpen('create'),
  // Docker infrastructure events are not produced by current drivers.
  'evt.infra.docker.name': () => noValue,
  'evt.infra.docker.container.id': () => noValue,
  'evt.infra.docker.container.name': () => noValue,
  'evt.infra.docker.container.image': () => noValue,
};
