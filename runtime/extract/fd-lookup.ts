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

const NAME_FROM_PARAM1 = new Set([
  'PPME_SYSCALL_OPEN_X', 'PPME_SOCKET_ACCEPT_X', 'PPME_SOCKET_ACCEPT_5_X', 'PPME_SOCKET_ACCEPT4_X', 'PPME_SOCKET_ACCEPT4_5_X',
  'PPME_SOCKET_ACCEPT4_6_X', 'PPME_SYSCALL_CREAT_X', 'PPME_SOCKET_CONNECT_X',
]);

/** The directory an openat-style relative name is taken from (libsinsp's parse_dirfd). */
export function openatBase(ctx: EventContext, t: ThreadInfo, name: string, dirfd: number): string {
  if (name.startsWith('/')) return '.';
  if (dirfd === AT_FDCWD) return ctx.state.cwdOf(t);
  const d = t.fds.get(dirfd);
  return d ? d.name + '/' : '<UNKNOWN>';
}

/**
 * fd.name (or fd.nameraw with `raw`) rebuilt from the event when the fd is not in the table:
 * the path or tuple parameter of opens, accepts and connects; '' for other exit events;
 * no value for enter events.
 */
export function fdNameFromEvent(ctx: EventContext, t: ThreadInfo, raw: boolean): string | undefined {
  const v = ctx.view;
  if (IS_ENTER[v.type]) return undefined;
  const e = eventEnum(v.type);
  if (NAME_FROM_PARAM1.has(e)) return v.nparams > 1 ? paramText(ctx, 1) : '';
  if (e === 'PPME_SYSCALL_OPENAT_2_X' || e === 'PPME_SYSCALL_OPENAT2_X') {
    const name = stringParam(v, 2);
    return raw ? name : concatenatePaths(openatBase(ctx, t, name, v.int(1)), name);
  }
  // The old openat exit keeps its path in the enter event, which replay does not have.
  if (e === 'PPME_SYSCALL_OPENAT_X') return undefined;
  if (e === 'PPME_SYSCALL_OPEN_BY_HANDLE_AT_X') return stringParam(v, 3);
  return '';
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
