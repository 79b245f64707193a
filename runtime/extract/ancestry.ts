// Walking a thread's ancestors as libsinsp does for proc.p*, proc.a*, proc.sname and friends.
// Walks only look threads up (never create them) and stop at a missing parent or a loop.
import type { SystemState } from '../state/system-state.ts';
import type { ThreadInfo } from '../state/thread.ts';

const CLONE_CHILD_IN_PIDNS = 536870912;

/**
 * The walks of the current event's thread, shared by its fields: proc.pname, proc.aname[1…N],
 * proc.aname, proc.pcmdline … each walk the same chain (7 levels deep is common), and compiled
 * rules read several of them per event. Valid for one thread of one state while neither the
 * event (evtNum: parsers change threads only while processing an event) nor the thread table
 * (threadsVersion: addThread/removeThread outside the parser, as tests do) has changed.
 */
interface WalkMemo {
  state: SystemState | undefined;
  evtNum: number;
  threadsVersion: number;
  from: ThreadInfo | undefined;
  /** processes[k] = ancestorProcess(from, k), known for k < processesKnown. */
  readonly processes: (ThreadInfo | undefined)[];
  processesKnown: number;
  /** Every ancestor as forEachAncestor visits them, once computed. */
  ancestors: ThreadInfo[] | undefined;
}

const memo: WalkMemo = { state: undefined, evtNum: 0, threadsVersion: 0, from: undefined, processes: [], processesKnown: 0, ancestors: undefined };

function memoFor(state: SystemState, t: ThreadInfo): WalkMemo {
  const m = memo;
  if (m.from !== t || m.state !== state || m.evtNum !== state.evtNum || m.threadsVersion !== state.threadsVersion) {
    m.state = state;
    m.evtNum = state.evtNum;
    m.threadsVersion = state.threadsVersion;
    m.from = t;
    m.processesKnown = 0;
    m.ancestors = undefined;
  }
  return m;
}

/** The process N levels up: 0 = the thread's main thread, 1 = its parent's main thread, … */
export function ancestorProcess(state: SystemState, t: ThreadInfo, n: number): ThreadInfo | undefined {
  const m = memoFor(state, t);
  const ps = m.processes;
  if (m.processesKnown === 0) {
    ps[0] = state.mainThread(t);
    m.processesKnown = 1;
  }
  let k = m.processesKnown - 1;
  let mt = ps[k];
  // Extend the known chain up to level n (it ends at the first missing process).
  while (k < n && mt) {
    const p = state.findThread(mt.ptid);
    mt = p ? state.mainThread(p) : undefined;
    ps[++k] = mt;
    m.processesKnown = k + 1;
  }
  return n <= k ? ps[n] : undefined;
}

/**
 * Calls `visit` on each ancestor thread, parent first, until it returns false. A second
 * pointer moving twice as fast detects loops in the parent links (libsinsp's walk). Both
 * pointers follow the same chain, so each link is looked up once: the fast pointer records
 * what it finds (`chain[j]` is the j-th ancestor, 0 the parent) and the slow one reads it back.
 */
export function forEachAncestor(state: SystemState, t: ThreadInfo, visit: (a: ThreadInfo) => boolean): void {
  let slow = state.findThread(t.ptid);
  let fast = slow ? state.findThread(slow.ptid) : undefined;
  const chain = [slow, fast];
  let s = 0;
  while (slow && slow.tid !== -1) {
    if (!visit(slow)) return;
    slow = chain[++s]; // the fast pointer (at 2s - 1 or beyond) has been there
    for (let i = 0; i < 2; i++) {
      fast = fast ? state.findThread(fast.ptid) : undefined;
      chain.push(fast);
      if (slow && (slow === fast || slow.tid === slow.ptid)) return;
    }
  }
}

/** Each ancestor of the thread's process (parent first), as the any-ancestor checks see them. */
export function ancestorsOf(state: SystemState, t: ThreadInfo): ThreadInfo[] | undefined {
  return mapAncestors(state, t, (a) => a);
}

/** `of` of each ancestor of the thread's process (parent first); undefined without a process. */
export function mapAncestors<T>(state: SystemState, t: ThreadInfo, of: (a: ThreadInfo) => T): T[] | undefined {
  const mt = state.mainThread(t);
  if (!mt) return undefined;
  const m = memoFor(state, t);
  let as = m.ancestors;
  if (!as) {
    const list: ThreadInfo[] = [];
    forEachAncestor(state, mt, (a) => {
      list.push(a);
      return true;
    });
    m.ancestors = as = list;
  }
  const out = new Array<T>(as.length);
  for (let i = 0; i < as.length; i++) out[i] = of(as[i]!);
  return out;
}

function inPidNamespace(t: ThreadInfo): boolean {
  return (t.cloneFlags & CLONE_CHILD_IN_PIDNS) !== 0 || t.tid !== t.vtid;
}

/**
 * The leader of the thread's session / process group: the thread whose tid is the id, else
 * (or always, for virtual ids inside a pid namespace) the oldest ancestor sharing the id.
 */
export function groupLeader(state: SystemState, t: ThreadInfo, id: (x: ThreadInfo) => number, virtualId: boolean): ThreadInfo | undefined {
  const want = id(t);
  if (want === -1) return undefined;
  if (!virtualId || !inPidNamespace(t)) {
    const l = state.findThread(want);
    if (l) return l;
  }
  let leader: ThreadInfo | undefined;
  forEachAncestor(state, t, (a) => {
    if (id(a) !== want) return false;
    leader = a;
    return true;
  });
  return leader;
}
