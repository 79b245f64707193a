// proc.* and thread.*: the event's thread, its process (main thread), parent and ancestors.
// Every field has no value when the event has no thread (meta events).
import { bigintOf } from './small-bigint.ts';
import type { Extracted, Value } from '../operators/values.ts';
import { FD_TYPENAME } from '../state/fd.ts';
import type { SystemState } from '../state/system-state.ts';
import type { ThreadInfo } from '../state/thread.ts';
import { ancestorProcess, forEachAncestor, groupLeader, mapAncestors } from './ancestry.ts';
import { type EventContext, type ExtractMode, type Extractor, type ExtractorFactory, type FieldRef, noValue } from './context.ts';
import { capabilityNames } from './kernel-names.ts';

type ThreadExtractor = (ctx: EventContext, t: ThreadInfo) => Extracted;

/** Runs `f` on the event's thread; no value without one. */
const th = (f: ThreadExtractor): Extractor => (ctx) => {
  const t = ctx.state.tinfo;
  return t ? f(ctx, t) : undefined;
};

/** Ids outside -1 … 2^32-1 are not real host pids (libsinsp hides them). */
const xid = (n: number): bigint | undefined => (n >= -1 && n <= 0xffffffff ? bigintOf(n) : undefined);

const argsOf = (t: ThreadInfo) => t.argsText();

/** Joins with a space before every part once the text is non-empty (libsinsp's loop). */
function joinAfterFirst(parts: readonly string[]): string {
  let s = '';
  for (const p of parts) s = s === '' ? p : `${s} ${p}`;
  return s;
}

/** libsinsp's `concatenate_all_env`: the process environment, space-separated. */
export const envText = (state: SystemState, t: ThreadInfo) => (state.mainThread(t) ?? t).envText();

/** The value of NAME in the process environment, blanks trimmed; '' when absent or empty. */
export function envValue(state: SystemState, t: ThreadInfo, name: string): string {
  for (const e of state.envOf(t)) {
    if (e.length > name.length + 1 && e.charCodeAt(name.length) === 0x3d && e.startsWith(name)) {
      return e.slice(name.length + 1).replace(/^ +/, '').replace(/ +$/, '');
    }
  }
  return '';
}

/**
 * proc.a<x>[N] is x of the ancestor process N levels up. Without an index, a condition
 * tests every ancestor (the list, parent first; none when there is no ancestor) and an
 * output shows them space-joined.
 */
function ancestorField(of: (t: ThreadInfo) => Value, listInFilters: boolean, ownValueInOutput = false): ExtractorFactory {
  return (ref, mode) => {
    if (ref.argIndex !== undefined) {
      const n = ref.argIndex;
      return th((ctx, t) => {
        const a = ancestorProcess(ctx.state, t, n);
        return a ? of(a) : undefined;
      });
    }
    if (ownValueInOutput && mode === 'output') {
      return th((ctx, t) => {
        const a = ancestorProcess(ctx.state, t, 0);
        return a ? of(a) : undefined;
      });
    }
    if (listInFilters && mode === 'filter') {
      return th((ctx, t) => {
        const values = mapAncestors(ctx.state, t, of);
        return values && values.length > 0 ? values : undefined;
      });
    }
    return th((ctx, t) => {
      const texts = mapAncestors(ctx.state, t, (a) => String(of(a)));
      if (!texts) return undefined;
      const s = joinAfterFirst(texts);
      return s === '' ? undefined : s;
    });
  };
}

/** proc.p<x>: x of the parent process. */
const parentField = (of: (t: ThreadInfo) => Extracted): ExtractorFactory => () =>
  th((ctx, t) => {
    const p = ancestorProcess(ctx.state, t, 1);
    return p ? of(p) : undefined;
  });

/** Session / process-group leader fields: '' when no leader is known. */
const leaderField = (id: (t: ThreadInfo) => number, virtualId: boolean, of: (t: ThreadInfo) => string): ExtractorFactory => () =>
  th((ctx, t) => {
    const l = groupLeader(ctx.state, t, id, virtualId);
    return l ? of(l) : '';
  });

const simple = (f: ThreadExtractor): ExtractorFactory => () => th(f);

function procEnv(ref: FieldRef): Extractor {
  const name = ref.arg;
  if (name === undefined) return th((ctx, t) => envText(ctx.state, t));
  return th((ctx, t) => envValue(ctx.state, t, name));
}

/**
 * proc.aenv: a key looks NAME up in the nearest ancestor that has it (up to 20 levels), an
 * index N gives the environment N levels up; in conditions, without a key, every ancestor's
 * environment is tested (even with an index, as libsinsp does).
 */
function procAenv(ref: FieldRef, mode: ExtractMode): Extractor {
  const key = ref.argIndex === undefined ? ref.arg : undefined;
  const level = ref.argIndex ?? 0;
  if (key === undefined && mode === 'filter') {
    return th((ctx, t) => {
      const envs = mapAncestors(ctx.state, t, (a) => envText(ctx.state, a));
      return envs && envs.length > 0 ? envs : undefined;
    });
  }
  if (key === undefined && level < 1) return th((ctx, t) => envText(ctx.state, t));
  return th((ctx, t) => {
    let mt = ctx.state.mainThread(t);
    if (!mt) return '';
    if (key !== undefined) {
      for (let j = 0; j < 20; j++) {
        mt = ctx.state.findThread(mt.ptid);
        if (!mt) break;
        const v = envValue(ctx.state, mt, key);
        if (v !== '') return v;
      }
      return '';
    }
    for (let j = 0; j < level; j++) {
      mt = ctx.state.findThread(mt.ptid);
      if (!mt) return undefined;
    }
    return envText(ctx.state, mt);
  });
}

/** proc.aargs without an index: every ancestor's arguments, space-joined (none if empty). */
function procAargs(ref: FieldRef): Extractor {
  if (ref.argIndex !== undefined) {
    const n = ref.argIndex;
    return th((ctx, t) => {
      const a = ancestorProcess(ctx.state, t, n);
      return a ? argsOf(a) : undefined;
    });
  }
  return th((ctx, t) => {
    if (!ctx.state.mainThread(t)) return undefined;
    const s = joinAfterFirst(mapAncestors(ctx.state, t, argsOf) ?? []);
    return s === '' ? undefined : s;
  });
}

/** The pid of the oldest shell (a name ending in "sh") among the process and its ancestors. */
function loginShell(state: SystemState, t: ThreadInfo): Extracted {
  const mt = state.mainThread(t);
  if (!mt) return undefined;
  let pid: number | undefined;
  const check = (a: ThreadInfo) => {
    if (a.comm.length >= 2 && a.comm.endsWith('sh')) pid = a.pid;
    return true;
  };
  check(mt);
  forEachAncestor(state, mt, check);
  return pid === undefined ? undefined : bigintOf(pid);
}

/** Live threads of the process (leader included) / without the leader. */
function threadCount(state: SystemState, t: ThreadInfo, leader: boolean): bigint {
  if (t.pid < 0) return 0n;
  let n = 0;
  for (const o of state.threads.values()) if (o.pid === t.pid && !o.dead && (leader || o.tid !== o.pid)) n++;
  return bigintOf(n);
}

function stdFd(fd: number, what: 'type' | 'name'): ExtractorFactory {
  return simple((_ctx, t) => {
    const f = t.fds.get(fd);
    if (!f) return undefined;
    return what === 'type' ? FD_TYPENAME[f.type] : f.name;
  });
}

const openCount = (state: SystemState, t: ThreadInfo): number => (state.mainThread(t) ? t.fds.fds.size : 0);
const u64 = (x: bigint) => BigInt.asUintN(64, x);
const nonZero = (x: bigint): bigint | undefined => (x === 0n ? undefined : x);

export const PROC_FIELDS: Readonly<Record<string, ExtractorFactory>> = {
  'proc.exe': simple((_c, t) => t.exe),
  'proc.pexe': parentField((p) => p.exe),
  'proc.aexe': ancestorField((a) => a.exe, true),
  'proc.exepath': simple((_c, t) => t.exepath),
  'proc.pexepath': parentField((p) => p.exepath),
  'proc.aexepath': ancestorField((a) => a.exepath, true),
  'proc.name': simple((_c, t) => t.comm),
  'proc.pname': parentField((p) => p.comm),
  'proc.aname': ancestorField((a) => a.comm, true),
  'proc.args': (ref) => {
    const n = ref.argIndex;
    return n === undefined ? th((_c, t) => argsOf(t)) : th((_c, t) => t.args[n] ?? '');
  },
  'proc.aargs': (ref) => procAargs(ref),
  'proc.cmdline': simple((_c, t) => t.cmdline()),
  'proc.pcmdline': parentField((p) => p.cmdline()),
  'proc.acmdline': ancestorField((a) => a.cmdline(), true),
  'proc.cmdnargs': simple((_c, t) => bigintOf(t.args.length)),
  'proc.cmdlenargs': simple((_c, t) => bigintOf(t.args.reduce((n, a) => n + a.length, 0))),
  'proc.exeline': simple((_c, t) => `${t.exe} ${t.argsText()}`),
  'proc.env': (ref) => procEnv(ref),
  'proc.aenv': (ref, mode) => procAenv(ref, mode),
  'proc.cwd': simple((ctx, t) => ctx.state.cwdOf(t)),
  'proc.loginshellid': simple((ctx, t) => loginShell(ctx.state, t)),
  'proc.tty': simple((_c, t) => bigintOf(t.tty >>> 0)),
  'proc.pid': simple((_c, t) => xid(t.pid)),
  'proc.ppid': parentField((p) => xid(p.pid)),
  'proc.apid': ancestorField((a) => bigintOf(a.pid), true, true),
  'proc.vpid': simple((_c, t) => (t.vpid === -1 ? undefined : bigintOf(t.vpid))),
  'proc.pvpid': simple((ctx, t) => {
    const p = ctx.state.findThread(t.ptid);
    return p ? bigintOf(p.vpid) : undefined;
  }),
  'proc.sid': simple((_c, t) => bigintOf(t.sid)),
  'proc.sname': leaderField((t) => t.sid, true, (l) => l.comm),
  'proc.sid.exe': leaderField((t) => t.sid, true, (l) => l.exe),
  'proc.sid.exepath': leaderField((t) => t.sid, true, (l) => l.exepath),
  'proc.vpgid': simple((_c, t) => bigintOf(t.vpgid)),
  'proc.vpgid.name': leaderField((t) => t.vpgid, true, (l) => l.comm),
  'proc.vpgid.exe': leaderField((t) => t.vpgid, true, (l) => l.exe),
  'proc.vpgid.exepath': leaderField((t) => t.vpgid, true, (l) => l.exepath),
  'proc.pgid': simple((_c, t) => bigintOf(t.pgid)),
  'proc.pgid.name': leaderField((t) => t.pgid, false, (l) => l.comm),
  'proc.pgid.exe': leaderField((t) => t.pgid, false, (l) => l.exe),
  'proc.pgid.exepath': leaderField((t) => t.pgid, false, (l) => l.exepath),
  'proc.duration': simple((ctx, t) => (t.cloneTs === 0n ? undefined : ctx.view.ts - t.cloneTs)),
  'proc.ppid.duration': simple((ctx, t) => {
    const p = ancestorProcess(ctx.state, t, 1);
    if (!p) return undefined;
    // libsinsp falls through to proc.fdopencount when the parent has no start time.
    return p.cloneTs !== 0n ? ctx.view.ts - p.cloneTs : bigintOf(openCount(ctx.state, t));
  }),
  'proc.pid.ts': simple((_c, t) => nonZero(t.cloneTs)),
  'proc.ppid.ts': simple((ctx, t) => ctx.state.findThread(t.ptid)?.cloneTs),
  'proc.is_exe_writable': simple((_c, t) => t.exeWritable),
  'proc.is_exe_upper_layer': simple((_c, t) => t.exeUpperLayer),
  'proc.is_exe_lower_layer': simple((_c, t) => t.exeLowerLayer),
  'proc.is_exe_from_memfd': simple((_c, t) => t.exeFromMemfd),
  'proc.is_sid_leader': simple((_c, t) => t.sid === t.vpid),
  'proc.is_vpgid_leader': simple((_c, t) => t.vpgid === t.vpid),
  'proc.is_pgid_leader': simple((_c, t) => t.pgid === t.pid),
  'proc.exe_ino': simple((_c, t) => nonZero(BigInt.asIntN(64, t.exeIno))),
  'proc.exe_ino.ctime': simple((_c, t) => nonZero(t.exeInoCtime)),
  'proc.exe_ino.mtime': simple((_c, t) => nonZero(t.exeInoMtime)),
  // Derived as libsinsp derives them at execve: ctime relative to the process start and to
  // the pid namespace start.
  'proc.exe_ino.ctime_duration_proc_start': simple((_c, t) =>
    t.cloneTs !== 0n && t.exeInoCtime !== 0n ? nonZero(u64(t.cloneTs - t.exeInoCtime)) : undefined,
  ),
  'proc.exe_ino.ctime_duration_pidns_start': simple((_c, t) =>
    t.pidnsInitStartTs !== 0n && t.exeInoCtime > t.pidnsInitStartTs ? t.exeInoCtime - t.pidnsInitStartTs : undefined,
  ),
  'proc.pidns_init_start_ts': simple((_c, t) => nonZero(t.pidnsInitStartTs)),
  'thread.cap_permitted': simple((_c, t) => capabilityNames(t.capPermitted)),
  'thread.cap_inheritable': simple((_c, t) => capabilityNames(t.capInheritable)),
  'thread.cap_effective': simple((_c, t) => capabilityNames(t.capEffective)),
  'proc.fdopencount': simple((ctx, t) => bigintOf(openCount(ctx.state, t))),
  'proc.fdlimit': simple((ctx, t) => bigintOf(ctx.state.mainThread(t)?.fdlimit ?? 0)),
  'proc.fdusage': simple((ctx, t) => {
    const limit = ctx.state.mainThread(t)?.fdlimit ?? 0;
    return bigintOf(limit > 0 ? Math.trunc((openCount(ctx.state, t) * 100) / limit) : 0);
  }),
  // Memory and page-fault counters are not kept by the state.
  'proc.vmsize': () => noValue,
  'proc.vmrss': () => noValue,
  'proc.vmswap': () => noValue,
  'thread.pfmajor': () => noValue,
  'thread.pfminor': () => noValue,
  'thread.vmsize': () => noValue,
  'thread.vmrss': () => noValue,
  'thread.vmsize.b': () => noValue,
  'thread.vmrss.b': () => noValue,
  // The one field that does not need the thread entry: the event's tid.
  'thread.tid': () => (ctx) => xid(ctx.view.tid),
  'thread.ismain': simple((_c, t) => t.isMainThread),
  'thread.vtid': simple((_c, t) => (t.vtid === -1 ? undefined : bigintOf(t.vtid))),
  'thread.nametid': simple((ctx, t) => `${t.comm}${ctx.view.tid}`),
  // Scheduler switch events carry CPU time; no rule-visible event does here.
  'thread.exectime': () => () => 0n,
  'thread.totexectime': simple(() => 0n),
  'thread.cgroups': simple((_c, t) => (t.cgroups.length === 0 ? undefined : t.cgroups.map(([s, p]) => `${s}=${p}`).join(' '))),
  'thread.cgroup': (ref) => {
    const subsys = ref.arg ?? '';
    return th((_c, t) => t.cgroups.find(([s]) => s === subsys)?.[1]);
  },
  'proc.nthreads': simple((ctx, t) => threadCount(ctx.state, t, true)),
  'proc.nchilds': simple((ctx, t) => threadCount(ctx.state, t, false)),
  // CPU usage comes from procinfo events only.
  'thread.cpu': () => noValue,
  'thread.cpu.user': () => noValue,
  'thread.cpu.system': () => noValue,
  'proc.stdin.type': stdFd(0, 'type'),
  'proc.stdout.type': stdFd(1, 'type'),
  'proc.stderr.type': stdFd(2, 'type'),
  'proc.stdin.name': stdFd(0, 'name'),
  'proc.stdout.name': stdFd(1, 'name'),
  'proc.stderr.name': stdFd(2, 'name'),
};
