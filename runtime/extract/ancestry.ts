// Walking a thread's ancestors as libsinsp does for proc.p*, proc.a*, proc.sname and friends.
// Walks only look threads up (never create them) and stop at a missing parent or a loop.
import type { SystemState } from '../state/system-state.ts';
import type { ThreadInfo } from '../state/thread.ts';

const CLONE_CHILD_IN_PIDNS = 536870912;

/** The process N levels up: 0 = the thread's main thread, 1 = its parent's main thread, … */
export function ancestorProcess(state: SystemState, t: ThreadInfo, n: number): ThreadInfo | undefined {
  let mt = state.mainThread(t);
  for (let i = 0; i < n && mt; i++) {
    const p = state.findThread(mt.ptid);
    mt = p ? state.mainThread(p) : undefined;
  }
  return mt;
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
  const out: T[] = [];
  forEachAncestor(state, mt, (a) => {
    out.push(of(a));
    return true;
  });
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
