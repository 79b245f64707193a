// Thread-table updates: clone/fork/vfork/clone3, execve/execveat, procexit and the events
// that change a thread's ids, cwd, capabilities or limits. libsinsp's rules, written down in
// runtime/state/README.md; every handler runs after the event's thread was looked up.
import type { EventView } from '../events/event-view.ts';
import { ThreadInfo } from './thread.ts';
import type { SystemState } from './system-state.ts';
import { big, has, int, str, strs } from './event-params.ts';
import { parseCgroups } from './container-id.ts';
import { resolvePath, cwdForm } from './paths.ts';

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
  child.exe = str(v, 'exe');
  child.args = strs(v, 'args');
  child.comm = has(v, 'comm') ? str(v, 'comm') : child.exe;
  if (child.comm === '') child.comm = child.exe;
  child.fdlimit = int(v, 'fdlimit');
  child.uid = int(v, 'uid', 0, false) >>> 0;
  child.gid = int(v, 'gid', 0, false) >>> 0;
  child.cgroups = parseCgroups(strs(v, 'cgroups')) ?? [];
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
  const flags = int(v, 'flags', 0, false);
  if (caller.invalid) {
    caller.pid = int(v, 'pid');
    caller.ptid = int(v, 'ptid');
    caller.vtid = has(v, 'vtid') ? int(v, 'vtid') : caller.tid;
    caller.vpid = has(v, 'vpid') ? int(v, 'vpid') : -1;
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
  const flags = int(v, 'flags', 0, false);
  const child = new ThreadInfo();
  child.tid = tid;
  child.pid = int(v, 'pid');
  child.ptid = int(v, 'ptid');
  child.vtid = has(v, 'vtid') ? int(v, 'vtid') : tid;
  child.vpid = has(v, 'vpid') ? int(v, 'vpid') : -1;
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
    ? big(v, 'pidns_init_start_ts') + state.bootTime
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
  t.exe = str(v, 'exe');
  t.lastexecTs = v.ts;
  t.comm = has(v, 'comm') ? str(v, 'comm') : t.exe;
  t.args = strs(v, 'args');
  const wasInvalid = t.invalid;
  t.pid = int(v, 'pid', t.pid);
  if (wasInvalid) {
    t.ptid = int(v, 'ptid');
    t.vtid = t.tid;
    t.vpid = t.pid;
    linkParent(state, t);
  }
  // Current drivers leave cwd empty; older ones reported it.
  const cwd = str(v, 'cwd');
  if (cwd !== '') (state.mainThread(t) ?? t).cwd = cwdForm(cwd);
  t.fdlimit = int(v, 'fdlimit', t.fdlimit);
  const env = strs(v, 'env');
  if (env.length > 0) t.env = env;
  const cgroups = strs(v, 'cgroups');
  if (cgroups.length > 0) t.cgroups = parseCgroups(cgroups) ?? t.cgroups;
  if (has(v, 'tty')) t.tty = int(v, 'tty', 0, false);
  if (has(v, 'vpgid')) t.vpgid = int(v, 'vpgid');
  if (has(v, 'loginuid')) t.loginuid = int(v, 'loginuid', 0, false) >>> 0;
  if (has(v, 'flags')) {
    const f = int(v, 'flags', 0, false);
    t.exeWritable = (f & EXE_WRITABLE) !== 0;
    t.exeUpperLayer = (f & EXE_UPPER_LAYER) !== 0;
    t.exeFromMemfd = (f & EXE_FROM_MEMFD) !== 0;
    t.exeLowerLayer = (f & EXE_LOWER_LAYER) !== 0;
  }
  if (has(v, 'cap_inheritable')) {
    t.capInheritable = big(v, 'cap_inheritable');
    t.capPermitted = big(v, 'cap_permitted');
    t.capEffective = big(v, 'cap_effective');
  }
  if (has(v, 'exe_ino')) {
    t.exeIno = big(v, 'exe_ino');
    t.exeInoCtime = big(v, 'exe_ino_ctime');
    t.exeInoMtime = big(v, 'exe_ino_mtime');
  }
  if (has(v, 'uid')) t.uid = int(v, 'uid', 0, false) >>> 0;
  if (has(v, 'gid')) t.gid = int(v, 'gid', 0, false) >>> 0;
  t.pgid = has(v, 'pgid') ? int(v, 'pgid') : -1;
  const trusted = str(v, 'trusted_exepath');
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
      if (res === 0 && has(v, 'uid')) t.uid = int(v, 'uid', 0, false) >>> 0;
      return;
    case 'setreuid':
    case 'setresuid':
      if (res === 0) t.uid = int(v, 'euid', 0, false) >>> 0;
      return;
    case 'setgid':
      if (res === 0 && has(v, 'gid')) t.gid = int(v, 'gid', 0, false) >>> 0;
      return;
    case 'setregid':
    case 'setresgid':
      if (res === 0) t.gid = int(v, 'egid', 0, false) >>> 0;
      return;
    case 'setsid':
      if (res >= 0) t.sid = res;
      return;
    case 'chdir':
    case 'getcwd':
      if (res >= 0) updateCwd(state, t, str(v, 'path'));
      return;
    case 'fchdir':
      if (res >= 0 && state.fdinfo) updateCwd(state, t, state.fdinfo.name);
      return;
    case 'chroot':
      if (res === 0) t.root = resolvePath(state.cwdOf(t), str(v, 'path'));
      return;
    case 'capset':
      if (res >= 0) {
        t.capInheritable = big(v, 'cap_inheritable');
        t.capPermitted = big(v, 'cap_permitted');
        t.capEffective = big(v, 'cap_effective');
      }
      return;
    case 'unshare':
    case 'setns': {
      const flags = int(v, v.name === 'unshare' ? 'flags' : 'nstype', 0, false);
      if (res === 0 && flags & CL_CLONE_NEWUSER) t.capInheritable = t.capPermitted = t.capEffective = ALL_CAPS;
      return;
    }
    case 'prctl':
      if (res >= 0 && int(v, 'option') === PR_SET_CHILD_SUBREAPER) {
        (state.mainThread(t) ?? t).childSubreaper = int(v, 'arg2_int') !== 0;
      }
      return;
    case 'prlimit':
    case 'setrlimit':
      if (res >= 0 && int(v, 'resource') === RLIMIT_NOFILE) {
        const cur = int(v, v.name === 'prlimit' ? 'newcur' : 'cur', -1);
        if (cur >= 0) (state.mainThread(t) ?? t).fdlimit = cur;
      }
      return;
  }
}

function updateCwd(state: SystemState, t: ThreadInfo, path: string): void {
  const main = state.mainThread(t) ?? t;
  main.cwd = cwdForm(resolvePath(main.cwd, path));
}
