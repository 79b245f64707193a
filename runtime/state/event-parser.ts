// Runs every event through the system state before rules see it, as libsinsp's inspector
// does: apply the previous event's deferred removals, number the event, find its thread and
// fd, then let the parser for its type update the tables. Returns whether the event is
// delivered to rules (leading user/group/container records and the enter events libsinsp
// consumes for state are not).
import { EVENTS } from '../events/event-table.ts';
import { EventView } from '../events/event-view.ts';
import type { SystemState } from './system-state.ts';
import { USED_FD_PARAM, paramAt, str, paramSlots } from './event-params.ts';
import { parseCloneExit, parseExecveExit, parseIdentityExit, parseProcexit } from './parse-threads.ts';
import {
  parseAcceptExit, parseBindExit, parseCloseExit, parseCloseRangeExit, parseConnectExit, parseDupExit, parseFcntlExit,
  parseMemfdExit, parseOpenExit, parsePidfdGetfdExit, parsePidfdOpenExit, parsePipeExit, parseReadWriteExit,
  parseSimpleFdExit, parseSocketExit, parseSocketpairExit,
} from './parse-fds.ts';
import { parseMetaEvent } from './parse-meta.ts';
import type { ThreadInfo } from './thread.ts';

const P = paramSlots('domain', 'filename', 'pathname');

type Handler = (p: EventParser, v: EventView, t: ThreadInfo) => void;

const enum Lookup {
  /** Find or create the thread (a placeholder when unknown). */
  Get,
  /** Find only: clone exits, procexit, scheduler events. */
  Find,
  /** No thread: user/group/container records. */
  None,
}

const META_NAMES = new Set(['container', 'useradded', 'userdeleted', 'groupadded', 'groupdeleted', 'asyncevent']);
const FIND_ONLY_NAMES = new Set(['clone', 'fork', 'vfork', 'clone3', 'procexit', 'switch', 'procinfo']);
/** Enter events libsinsp keeps for their exit's parser and never hands to rules. */
const CONSUMED_ENTER = new Set([2, 22, 58, 292, 306, 326, 330]);
/** After these (with res ≥ 0) the container plugin recomputes the thread's container id. */
const CONTAINER_ID_EVENTS = new Set([223, 225, 227, 335, 231, 283, 289, 293, 331, 267]);

// Per event code, everything process() asks of the event table, as typed arrays (one read per
// event instead of Set lookups and property chains).
const LOOKUP = Uint8Array.from(EVENTS, (e) =>
  META_NAMES.has(e.name) ? Lookup.None : FIND_ONLY_NAMES.has(e.name) && (e.dir === 'exit' || e.name === 'procexit' || e.name === 'switch' || e.name === 'procinfo') ? Lookup.Find : Lookup.Get,
);
const IS_ENTER = Uint8Array.from(EVENTS, (e) => (e.dir === 'enter' ? 1 : 0));
const IS_CONSUMED_ENTER = Uint8Array.from(EVENTS, (e) => (e.dir === 'enter' && CONSUMED_ENTER.has(e.code) ? 1 : 0));
const UPDATES_CONTAINER_ID = Uint8Array.from(EVENTS, (e) => (CONTAINER_ID_EVENTS.has(e.code) ? 1 : 0));

const rw = (isWrite: boolean): Handler => (p, v) => parseReadWriteExit(p.state, v, isWrite);

const EXIT_HANDLERS: Readonly<Record<string, Handler>> = {
  clone: (p, v) => parseCloneExit(p.state, v),
  fork: (p, v) => parseCloneExit(p.state, v),
  vfork: (p, v) => parseCloneExit(p.state, v),
  clone3: (p, v) => parseCloneExit(p.state, v),
  execve: (p, v) => parseExecveExit(p.state, v, p.enterFilename(v)),
  execveat: (p, v) => parseExecveExit(p.state, v, p.enterFilename(v)),
  open: (p, v, t) => parseOpenExit(p.state, v, t, p.enterOf(v)),
  openat: (p, v, t) => parseOpenExit(p.state, v, t, p.enterOf(v)),
  openat2: (p, v, t) => parseOpenExit(p.state, v, t, p.enterOf(v)),
  creat: (p, v, t) => parseOpenExit(p.state, v, t, p.enterOf(v)),
  open_by_handle_at: (p, v, t) => parseOpenExit(p.state, v, t, undefined),
  socket: (p, v, t) => parseSocketExit(p.state, v, paramAt(v, P.domain) < 0 ? p.enterOf(v) ?? v : v, t),
  socketpair: (p, v, t) => parseSocketpairExit(p.state, v, t),
  pipe: (p, v, t) => parsePipeExit(p.state, v, t),
  pipe2: (p, v, t) => parsePipeExit(p.state, v, t),
  memfd_create: (p, v, t) => parseMemfdExit(p.state, v, t),
  pidfd_open: (p, v, t) => parsePidfdOpenExit(p.state, v, t),
  pidfd_getfd: (p, v, t) => parsePidfdGetfdExit(p.state, v, t),
  accept: (p, v, t) => parseAcceptExit(p.state, v, t),
  accept4: (p, v, t) => parseAcceptExit(p.state, v, t),
  bind: (p, v) => parseBindExit(p.state, v),
  connect: (p, v) => parseConnectExit(p.state, v, p.enterOf(v)),
  sendto: rw(true),
  sendmsg: rw(true),
  recvfrom: rw(false),
  recvmsg: rw(false),
  dup: (p, v, t) => parseDupExit(p.state, v, t),
  dup2: (p, v, t) => parseDupExit(p.state, v, t),
  dup3: (p, v, t) => parseDupExit(p.state, v, t),
  fcntl: (p, v, t) => parseFcntlExit(p.state, v, t),
  close: (p, v, t) => parseCloseExit(p.state, v, t),
  close_range: (_p, v, t) => parseCloseRangeExit(v, t),
};
for (const name of ['eventfd', 'eventfd2', 'signalfd', 'signalfd4', 'timerfd_create', 'inotify_init', 'inotify_init1', 'epoll_create', 'epoll_create1', 'bpf', 'userfaultfd', 'io_uring_setup']) {
  (EXIT_HANDLERS as Record<string, Handler>)[name] = (p, v, t) => parseSimpleFdExit(p.state, v, t);
}
for (const name of ['setuid', 'setreuid', 'setresuid', 'setgid', 'setregid', 'setresgid', 'setsid', 'chdir', 'fchdir', 'getcwd', 'chroot', 'capset', 'unshare', 'setns', 'prctl', 'prlimit', 'setrlimit']) {
  (EXIT_HANDLERS as Record<string, Handler>)[name] = (p, v) => parseIdentityExit(p.state, v);
}

/** Events whose exits keep the thread and fd tables (what a live capture needs beside the
 * events its rules match). */
export const STATE_EVENT_NAMES: ReadonlySet<string> = new Set(Object.keys(EXIT_HANDLERS));

const HANDLERS: (Handler | undefined)[] = EVENTS.map((e) => {
  if (e.name === 'procexit') return (p) => parseProcexit(p.state);
  return e.dir === 'exit' ? EXIT_HANDLERS[e.name] : undefined;
});

export class EventParser {
  /** Leading user/group/container records are initial state, not events for rules. */
  private initialPhase = true;
  /** The last kept enter event per thread (a copy), for its exit's parser. */
  private readonly enters = new Map<number, { bytes: Uint8Array; length: number }>();
  private readonly enterView = new EventView();

  constructor(readonly state: SystemState) {}

  /** Updates the state from one event; returns whether rules see it. */
  process(v: EventView): boolean {
    const s = this.state;
    s.flushDeferred();
    s.evtNum++;
    s.tinfo = undefined;
    s.fdinfo = undefined;
    s.lastEventFd = -1;
    s.nameChanged = false;
    const code = v.type;
    const lookup: Lookup = LOOKUP[code] ?? Lookup.Get;
    if (lookup === Lookup.None) {
      parseMetaEvent(s, v);
      return !this.initialPhase;
    }
    this.initialPhase = false;
    if (s.firstEventTs === 0n) s.firstEventTs = v.ts;
    const tid = v.tid;
    const t = lookup === Lookup.Find ? s.findThread(tid) : s.getThread(tid);
    s.tinfo = t;
    const isEnter = IS_ENTER[code] === 1;
    // Enter events (captures from older drivers have them for every syscall) are kept per
    // thread: their exit may lack what they carry (the fd of close/read, open's path …).
    if (isEnter && lookup === Lookup.Get && tid >= 0) this.keepEnter(tid, v);
    const fdParam = USED_FD_PARAM[code] ?? -1;
    if (t && fdParam >= 0) {
      const from = fdParam < v.nparams ? v : this.enterOf(v);
      const at = from === v ? fdParam : USED_FD_PARAM[code - 1] ?? -1;
      if (from && at >= 0 && at < from.nparams) {
        s.lastEventFd = from.int(at);
        s.fdinfo = t.fds.get(s.lastEventFd);
      }
    }
    const handler = HANDLERS[code];
    if (handler && (t || lookup === Lookup.Find)) handler(this, v, t!);
    if (UPDATES_CONTAINER_ID[code] === 1 && v.int(0) >= 0) {
      const own = s.findThread(tid);
      if (own) s.updateContainerId(own);
    }
    return IS_CONSUMED_ENTER[code] !== 1;
  }

  /**
   * Copies the enter event into its thread's slot (the reader reuses its buffer). A slot is
   * reused while it is large enough, so a capture with enter events for every syscall does
   * not allocate per event.
   */
  private keepEnter(tid: number, v: EventView): void {
    let e = this.enters.get(tid);
    if (!e || e.bytes.length < v.length) {
      e = { bytes: new Uint8Array(Math.max(v.length, 128)), length: 0 };
      this.enters.set(tid, e);
    }
    e.bytes.set(v.data.subarray(v.offset, v.offset + v.length));
    e.length = v.length;
  }

  /** The enter event stored for this exit's thread, when it is this exit's pair. */
  enterOf(v: EventView): EventView | undefined {
    const e = this.enters.get(v.tid);
    if (!e) return undefined;
    this.enterView.reset(e.bytes, 0, e.length, v.littleEndian);
    return this.enterView.type === v.type - 1 ? this.enterView : undefined;
  }

  enterFilename(v: EventView): string | undefined {
    const e = this.enterOf(v);
    return e ? str(e, v.name === 'execveat' ? P.pathname : P.filename) : undefined;
  }
}
