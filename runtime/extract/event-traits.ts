// Per event code, what evt.* and fd.* fields ask of the event table: flags, direction,
// whether the first parameter is a return value. Computed once from the table.
import { EVENTS } from '../events/event-table.ts';
import type { EventView } from '../events/event-view.ts';

export const GENERIC_EXIT_CODE = 1;
export const ASYNCEVENT_CODE = 402;

const has = (code: number, flag: string) => EVENTS[code]?.flags.includes(flag) === true;
const table = (f: (code: number) => boolean): Uint8Array => Uint8Array.from(EVENTS, (_e, code) => (f(code) ? 1 : 0));

/** Events whose fd.* fields have values: they create, use or destroy an fd. */
export const IS_FD_EVENT = table((c) => has(c, 'CREATES_FD') || has(c, 'USES_FD') || has(c, 'DESTROYS_FD'));
export const READS_FD = table((c) => has(c, 'READS_FROM_FD'));
export const WRITES_FD = table((c) => has(c, 'WRITES_TO_FD'));
export const WAITS = table((c) => has(c, 'WAITS'));
export const IS_ENTER = table((c) => EVENTS[c]?.dir === 'enter');
export const IS_SYSCALL = table((c) => EVENTS[c]?.kind === 'syscall');
export const IS_META = table((c) => EVENTS[c]?.kind === 'metaevent');
/** Syscall exits carry the return value as their first parameter (generic events do not). */
const RETURNS = table((c) => c !== GENERIC_EXIT_CODE && EVENTS[c]?.kind === 'syscall' && EVENTS[c]?.dir === 'exit');

export function hasReturnValue(v: EventView): boolean {
  return RETURNS[v.type] === 1 && v.nparams > 0;
}

/** The return value (first parameter, 4 or 8 bytes; 0 otherwise). Call after hasReturnValue. */
export function returnValue(v: EventView): number {
  const len = v.paramLength(0);
  return len === 4 || len === 8 ? v.int(0, true) : 0;
}

export function eventCategory(code: number): string {
  return EVENTS[code]?.category ?? 'unknown';
}

export function eventEnum(code: number): string {
  return EVENTS[code]?.enum ?? '';
}
