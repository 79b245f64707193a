// Thread-table updates: clone/fork/vfork/clone3, execve/execveat, procexit and the events
// that change a thread's ids, cwd, capabilities or limits. libsinsp's rules, written down in
// runtime/state/README.md; every handler runs after the event's thread was looked up.
import type { EventView } from '../events/event-view.ts';
import { ThreadInfo } from './thread.ts';
import type { SystemState } from './system-state.ts';
import { big, has, int, str, strs, paramSlots } from './event-params.ts';
import { parseCgroups } from './container-id.ts';
import { resolvePath, cwdForm } from './paths.ts';

const P = paramSlots('arg2_int', 'args', 'cap_effective', 'cap_inheritable', 'cap_permitted', 'cgroups', 'comm', 'cwd', 'egid', 'env', 'euid', 'exe', 'exe_ino', 'exe_ino_ctime', 'exe_ino_mtime', 'fdlimit', 'flags', 'gid', 'loginuid', 'option', 'path', 'pgid', 'pid', 'pidns_init_start_ts', 'ptid', 'resource', 'trusted_exepath', 'tty', 'uid', 'vpgid', 'vpid', 'vtid', 'nstype', 'newcur', 'cur');

// PPM clone flags (events.json flag table clone_flags).
export const CL_CLONE_FILES = 1;
const CL_CLONE_NEWPID = 64;
const CL_CLONE_PARENT = 256;
export const CL_CLONE_THREAD = 8192;
const CL_CLONE_NEWUSER = 1048576;
const CL_CLONE_VFORK = 134217728;
const CL_CHILD_IN_PIDNS = 536870912;

// execve_flags
const EXE_WRITABLE = 1;
const EXE_UPPER_LAYER = 2;
const EXE_FROM_MEMFD = 4;
const EXE_LOWER_LAYER = 8;

/** A child-side clone event this close to the caller-side creation describes the same child. */
const CLONE_STALE_TIME_NS = 2_000_000_000n;
const ALL_CAPS = (1n << 41n) - 1n;
const RLIMIT_NOFILE = 7;
const PR_SET_CHILD_SUBREAPER = 36;
const VFORK_CODES = new Set([185, 221, 227]);

/** What a new thread inherits from the thread it was cloned from (when that one is valid). */
function inherit(child: ThreadInfo, from: ThreadInfo): void {
  child.exepath = from.exepath;
  child.exeWritable = from.exeWritable;
  child.exeUpperLayer = from.exeUpperLayer;
  child.exeLowerLayer = from.exeLowerLayer;
  child.exeFromMemfd = from.exeFromMemfd;
  child.root = from.root;
  child.sid = from.sid;
  child.vpgid = from.vpgid;
  child.pgid = from.pgid;
  child.tty = from.tty;
  child.loginuid = from.loginuid;
  child.capInheritable = from.capInheritable;
  child.capPermitted = from.capPermitted;
  child.capEffective = from.capEffective;
  child.exeIno = from.exeIno;
  child.exeInoCtime = from.exeInoCtime;
  child.exeInoMtime = from.exeInoMtime;
}

/** Process data from the clone event itself. */
function fromCloneEvent(child: ThreadInfo, v: EventView, ts: bigint): void {
  child.exe = str(v, P.exe);
  child.args = strs(v, P.args);
  child.comm = has(v, P.comm) ? str(v, P.comm) : child.exe;
  if (child.comm === '') child.comm = child.exe;
  child.fdlimit = int(v, P.fdlimit);
  child.uid = int(v, P.uid, 0, false) >>> 0;
  child.gid = int(v, P.gid, 0, false) >>> 0;
  child.cgroups = parseCgroups(strs(v, P.cgroups)) ?? [];
  child.cloneTs = ts;
}

function inPidNamespace(flags: number, tid: number, vtid: number): boolean {
  return (flags & (CL_CHILD_IN_PIDNS | CL_CLONE_NEWPID)) !== 0 || tid !== vtid;
}

/** Links a new thread to its parent: an unknown or placeholder parent leaves it with ptid 0. */
function linkParent(state: SystemState, t: ThreadInfo): void {
  if (t.invalid || t.pid === 1) return;
  const parent = state.findThread(t.ptid);
  if (!parent || parent.invalid) t.ptid = 0;
}

/** The fd table a thread of process `pid` shares (the main thread's, when known). */
function shareGroupTable(state: SystemState, t: ThreadInfo): void {
  const main = state.findThread(t.pid);
  if (main && main !== t) t.fds = main.fds;
}

export function parseCloneExit(state: SystemState, v: EventView): void {
  const res = v.int(0);
  if (res < 0) return;
  if (res > 0) cloneCallerSide(state, v, res);
  else cloneChildSide(state, v);
}

function cloneCallerSide(state: SystemState, v: EventView, childTid: number): void {
  const caller = state.getThread(v.tid);
  state.tinfo = caller;
  if (!caller) return;
  const flags = int(v, P.flags, 0, false);
  if (caller.invalid) {
    caller.pid = int(v, P.pid);
    caller.ptid = int(v, P.ptid);
    caller.vtid = has(v, P.vtid) ? int(v, P.vtid) : caller.tid;
    caller.vpid = has(v, P.vpid) ? int(v, P.vpid) : -1;
    linkParent(state, caller);
    if (!caller.isMainThread) shareGroupTable(state, caller);
  }
  // Children in other pid namespaces and vforked children are built from their own event.
  if (flags & (CL_CHILD_IN_PIDNS | CL_CLONE_NEWPID | CL_CLONE_PARENT | CL_CLONE_VFORK)) return;
  if (caller.tid !== caller.vtid || VFORK_CODES.has(v.type)) return;
  const existing = state.findThread(childTid);
  if (existing) {
    if (existing.fromChildEvent) return;
    state.threads.delete(childTid); // a stale entry for a reused tid
  }
  const child = new ThreadInfo();
  child.tid = childTid;
  child.cloneFlags = flags;
  if (flags & CL_CLONE_THREAD) {
    child.pid = caller.pid;
    child.ptid = caller.ptid;
    child.cloneFlags |= CL_CLONE_FILES;
    child.lastexecTs = caller.lastexecTs;
    child.fds = (state.mainThread(caller) ?? caller).fds;
  } else {
    child.pid = childTid;
    child.ptid = caller.tid;
    child.fds = caller.fds.copy();
    child.cwd = state.cwdOf(caller);
    child.env = state.envOf(caller);
  }
  child.vtid = child.tid;
  child.vpid = child.pid;
  fromCloneEvent(child, v, v.ts);
  child.pidnsInitStartTs = state.bootTime;
  if (!caller.invalid) inherit(child, caller);
  if (caller.invalid) {
    caller.exe = child.exe;
    caller.comm = child.comm;
    caller.args = child.args;
  }
  if (state.addThread(child)) linkParent(state, child);
}

function cloneChildSide(state: SystemState, v: EventView): void {
  const tid = v.tid;
  const ts = v.ts;
  const existing = state.findThread(tid);
  if (existing && existing.cloneTs !== 0n && ts - existing.cloneTs < CLONE_STALE_TIME_NS) {
    state.tinfo = existing;
    return;
  }
  if (existing) state.threads.delete(tid);
  const flags = int(v, P.flags, 0, false);
  const child = new ThreadInfo();
  child.tid = tid;
  child.pid = int(v, P.pid);
  child.ptid = int(v, P.ptid);
  child.vtid = has(v, P.vtid) ? int(v, P.vtid) : tid;
  child.vpid = has(v, P.vpid) ? int(v, P.vpid) : -1;
  child.cloneFlags = flags;
  child.fromChildEvent = true;
  const isThread = (flags & CL_CLONE_THREAD) !== 0;
  if (isThread) child.cloneFlags |= CL_CLONE_FILES;
  const lookup = state.getThread(isThread ? child.pid : child.ptid);
  fromCloneEvent(child, v, ts);
  if (lookup && !lookup.invalid) {
    inherit(child, lookup);
    if (isThread) {
      child.lastexecTs = lookup.lastexecTs;
      child.fds = lookup.fds;
    } else {
      child.fds = lookup.fds.copy();
      child.cwd = state.cwdOf(lookup);
      child.env = state.envOf(lookup);
    }
  }
  child.pidnsInitStartTs = inPidNamespace(flags, child.tid, child.vtid)
    ? big(v, P.pidns_init_start_ts) + state.bootTime
    : state.bootTime;
  if (state.addThread(child)) {
    linkParent(state, child);
    state.tinfo = child;
  } else {
    state.tinfo = undefined;
  }
}

export function parseExecveExit(state: SystemState, v: EventView, enterFilename: string | undefined): void {
  const t = state.tinfo;
  if (!t || v.int(0) < 0) return;
  t.dead = false;
  t.exe = str(v, P.exe);
  t.lastexecTs = v.ts;
  t.comm = has(v, P.comm) ? str(v, P.comm) : t.exe;
  t.args = strs(v, P.args);
  const wasInvalid = t.invalid;
  t.pid = int(v, P.pid, t.pid);
  if (wasInvalid) {
    t.ptid = int(v, P.ptid);
    t.vtid = t.tid;
    t.vpid = t.pid;
    linkParent(state, t);
  }
  // Current drivers leave cwd empty; older ones reported it.
  const cwd = str(v, P.cwd);
  if (cwd !== '') (state.mainThread(t) ?? t).cwd = cwdForm(cwd);
  t.fdlimit = int(v, P.fdlimit, t.fdlimit);
  const env = strs(v, P.env);
  if (env.length > 0) t.env = env;
  const cgroups = strs(v, P.cgroups);
  if (cgroups.length > 0) t.cgroups = parseCgroups(cgroups) ?? t.cgroups;
  if (has(v, P.tty)) t.tty = int(v, P.tty, 0, false);
  if (has(v, P.vpgid)) t.vpgid = int(v, P.vpgid);
  if (has(v, P.loginuid)) t.loginuid = int(v, P.loginuid, 0, false) >>> 0;
  if (has(v, P.flags)) {
    const f = int(v, P.flags, 0, false);
    t.exeWritable = (f & EXE_WRITABLE) !== 0;
    t.exeUpperLayer = (f & EXE_UPPER_LAYER) !== 0;
    t.exeFromMemfd = (f & EXE_FROM_MEMFD) !== 0;
    t.exeLowerLayer = (f & EXE_LOWER_LAYER) !== 0;
  }
  if (has(v, P.cap_inheritable)) {
    t.capInheritable = big(v, P.cap_inheritable);
    t.capPermitted = big(v, P.cap_permitted);
    t.capEffective = big(v, P.cap_effective);
  }
  if (has(v, P.exe_ino)) {
    t.exeIno = big(v, P.exe_ino);
    t.exeInoCtime = big(v, P.exe_ino_ctime);
    t.exeInoMtime = big(v, P.exe_ino_mtime);
  }
  if (has(v, P.uid)) t.uid = int(v, P.uid, 0, false) >>> 0;
  if (has(v, P.gid)) t.gid = int(v, P.gid, 0, false) >>> 0;
  t.pgid = has(v, P.pgid) ? int(v, P.pgid) : -1;
  const trusted = str(v, P.trusted_exepath);
  if (trusted !== '') t.exepath = trusted.endsWith(' (deleted)') ? trusted.slice(0, -' (deleted)'.length) : trusted;
  else t.exepath = enterFilename === undefined ? '<NA>' : resolvePath(state.cwdOf(t), enterFilename);
  // exec leaves the caller as the only thread of its process; close-on-exec fds go away.
  for (const [tid, o] of state.threads) if (o !== t && o.pid === t.pid) state.threads.delete(tid);
  for (const [fd, info] of t.fds.fds) if (info.cloexec) t.fds.delete(fd);
}

export function parseProcexit(state: SystemState): void {
  const t = state.tinfo;
  if (!t) return;
  t.dead = true;
  state.tidToRemove = t.tid;
}

/** set*id, setsid, chdir/fchdir/getcwd, chroot, capset, unshare/setns, prctl, prlimit. */
export function parseIdentityExit(state: SystemState, v: EventView): void {
  const t = state.tinfo;
  if (!t) return;
  const res = v.int(0);
  switch (v.name) {
    case 'setuid':
      if (res === 0 && has(v, P.uid)) t.uid = int(v, P.uid, 0, false) >>> 0;
      return;
    case 'setreuid':
    case 'setresuid':
      if (res === 0) t.uid = int(v, P.euid, 0, false) >>> 0;
      return;
    case 'setgid':
      if (res === 0 && has(v, P.gid)) t.gid = int(v, P.gid, 0, false) >>> 0;
      return;
    case 'setregid':
    case 'setresgid':
      if (res === 0) t.gid = int(v, P.egid, 0, false) >>> 0;
      return;
    case 'setsid':
      if (res >= 0) t.sid = res;
      return;
    case 'chdir':
    case 'getcwd':
      if (res >= 0) updateCwd(state, t, str(v, P.path));
      return;
    case 'fchdir':
      if (res >= 0 && state.fdinfo) updateCwd(state, t, state.fdinfo.name);
      return;
    case 'chroot':
      if (res === 0) t.root = resolvePath(state.cwdOf(t), str(v, P.path));
      return;
    case 'capset':
      if (res >= 0) {
        t.capInheritable = big(v, P.cap_inheritable);
        t.capPermitted = big(v, P.cap_permitted);
        t.capEffective = big(v, P.cap_effective);
      }
      return;
    case 'unshare':
    case 'setns': {
      const flags = int(v, v.name === 'unshare' ? P.flags : P.nstype, 0, false);
      if (res === 0 && flags & CL_CLONE_NEWUSER) t.capInheritable = t.capPermitted = t.capEffective = ALL_CAPS;
      return;
    }
    case 'prctl':
      if (res >= 0 && int(v, P.option) === PR_SET_CHILD_SUBREAPER) {
        (state.mainThread(t) ?? t).childSubreaper = int(v, P.arg2_int) !== 0;
      }
      return;
    case 'prlimit':
    case 'setrlimit':
      if (res >= 0 && int(v, P.resource) === RLIMIT_NOFILE) {
        const cur = int(v, v.name === 'prlimit' ? P.newcur : P.cur, -1);
        if (cur >= 0) (state.mainThread(t) ?? t).fdlimit = cur;
      }
      return;
  }
}

function updateCwd(state: SystemState, t: ThreadInfo, path: string): void {
  const main = state.mainThread(t) ?? t;
  main.cwd = cwdForm(resolvePath(main.cwd, path));
}
