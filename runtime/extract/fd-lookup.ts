// Which fd an fd.* field describes, and what libsinsp falls back to when the fd table has no
// entry for it (failed opens, unknown fds, AT_FDCWD): names rebuilt from the event's own
// parameters, a type character guessed from the event type.
import { EVENTS } from '../events/event-table.ts';
import type { FdInfo } from '../state/fd.ts';
import type { ThreadInfo } from '../state/thread.ts';
import type { EventContext } from './context.ts';
import { IS_ENTER, IS_FD_EVENT, eventEnum } from './event-traits.ts';
import { paramText, stringParam } from './param-render.ts';
import { AT_FDCWD } from '../events/ppm-flags.ts';
import { concatenatePaths } from './path-concat.ts';

/** The event's thread when the event is about an fd (the fd fields need both). */
export function fdEventThread(ctx: EventContext): ThreadInfo | undefined {
  return IS_FD_EVENT[ctx.view.type] ? ctx.state.tinfo : undefined;
}

/** The fd entry of the event: the one the parser chose, else the table's entry for fd.num. */
export function eventFd(ctx: EventContext, t: ThreadInfo): FdInfo | undefined {
  const s = ctx.state;
  return s.fdinfo ?? (s.lastEventFd !== -1 ? t.fds.get(s.lastEventFd) : undefined);
}

const enum NameFrom {
  /** '' (other exit events). */
  Empty,
  /** No value: enter events, and the old openat exit (its path is in the enter event). */
  None,
  Param1,
  /** openat/openat2 exit: path param 2 against dirfd param 1. */
  Openat,
  /** open_by_handle_at exit: param 3. */
  Param3,
}
const PARAM1 = new Set([
  'PPME_SYSCALL_OPEN_X', 'PPME_SOCKET_ACCEPT_X', 'PPME_SOCKET_ACCEPT_5_X', 'PPME_SOCKET_ACCEPT4_X', 'PPME_SOCKET_ACCEPT4_5_X',
  'PPME_SOCKET_ACCEPT4_6_X', 'PPME_SYSCALL_CREAT_X', 'PPME_SOCKET_CONNECT_X',
]);
const NAME_FROM = Uint8Array.from(EVENTS, (e, code) => {
  if (IS_ENTER[code] || e.enum === 'PPME_SYSCALL_OPENAT_X') return NameFrom.None;
  if (PARAM1.has(e.enum)) return NameFrom.Param1;
  if (e.enum === 'PPME_SYSCALL_OPENAT_2_X' || e.enum === 'PPME_SYSCALL_OPENAT2_X') return NameFrom.Openat;
  if (e.enum === 'PPME_SYSCALL_OPEN_BY_HANDLE_AT_X') return NameFrom.Param3;
  return NameFrom.Empty;
});

/** The directory an openat-style relative name is taken from (libsinsp's parse_dirfd). */
export function openatBase(ctx: EventContext, t: ThreadInfo, name: string, dirfd: number): string {
  if (name.startsWith('/')) return '.';
  if (dirfd === AT_FDCWD) return ctx.state.cwdOf(t);
  const d = t.fds.get(dirfd);
  return d ? d.name + '/' : '<UNKNOWN>';
}

// fd.name and fd.directory of a failed open both rebuild the same path: once per event.
let builtView: EventContext['view'] | undefined;
let builtSerial = -1;
let builtName = '';

/**
 * fd.name (or fd.nameraw with `raw`) rebuilt from the event when the fd is not in the table:
 * the path or tuple parameter of opens, accepts and connects; '' for other exit events;
 * no value for enter events.
 */
export function fdNameFromEvent(ctx: EventContext, t: ThreadInfo, raw: boolean): string | undefined {
  const v = ctx.view;
  switch (NAME_FROM[v.type]) {
    case NameFrom.None:
      return undefined;
    case NameFrom.Param1:
      return v.nparams > 1 ? paramText(ctx, 1) : '';
    case NameFrom.Openat: {
      const name = stringParam(v, 2);
      if (raw) return name;
      if (builtView !== v || builtSerial !== v.serial) {
        builtName = concatenatePaths(openatBase(ctx, t, name, v.int(1)), name);
        builtView = v;
        builtSerial = v.serial;
      }
      return builtName;
    }
    case NameFrom.Param3:
      return stringParam(v, 3);
    default:
      return '';
  }
}

const TYPECHAR_BY_ENTER: Readonly<Record<string, string>> = {
  PPME_SYSCALL_OPENAT_E: 'f', PPME_SYSCALL_OPENAT_2_E: 'f', PPME_SYSCALL_OPENAT2_E: 'f', PPME_SYSCALL_CREAT_E: 'f',
  PPME_SOCKET_SOCKET_E: '4', PPME_SOCKET_ACCEPT_E: '4', PPME_SOCKET_ACCEPT_5_E: '4', PPME_SOCKET_ACCEPT4_E: '4',
  PPME_SOCKET_ACCEPT4_5_E: '4', PPME_SOCKET_ACCEPT4_6_E: '4', PPME_SYSCALL_PIPE2_E: 'p', PPME_SYSCALL_EVENTFD2_E: 'e',
  PPME_SYSCALL_SIGNALFD_E: 's', PPME_SYSCALL_SIGNALFD4_E: 's', PPME_SYSCALL_TIMERFD_CREATE_E: 't',
};
const TYPECHAR_BY_CODE: readonly string[] = EVENTS.map((_e, code) => TYPECHAR_BY_ENTER[eventEnum(code & ~1)] ?? 'o');

/** fd.typechar without an fd entry: a guess from the event type (libsinsp's extract_typechar). */
export function typecharFromEvent(code: number): string {
  return TYPECHAR_BY_CODE[code] ?? 'o';
}
