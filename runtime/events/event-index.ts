// Lookups over the event table: names ↔ codes, syscall names, parameter names.
import { EVENTS, ALL_SYSCALL_NAMES, GENERIC_SYSCALLS } from './event-table.ts';
import type { EventParamInfo } from './event-info.ts';

export const EVENT_CODE_COUNT = EVENTS.length; // 454 (PPM_EVENT_MAX)
export const GENERIC_ENTER = 0;
export const GENERIC_EXIT = 1;
export const PLUGINEVENT_CODE = 322;
export const ASYNCEVENT_CODE = 402;

const codesByName = new Map<string, number[]>();
for (const e of EVENTS) {
  if (e.flags.includes('UNUSED') || e.name === 'NA') continue;
  const list = codesByName.get(e.name) ?? [];
  list.push(e.code);
  codesByName.set(e.name, list);
}
const syscallNames = new Set(ALL_SYSCALL_NAMES);
const genericNames = new Set(GENERIC_SYSCALLS);

/** Codes 0…453 of every event whose name is `name` (all versions, both directions). */
export function eventCodesOf(name: string): readonly number[] {
  return codesByName.get(name) ?? [];
}

export function isEventName(name: string): boolean {
  return codesByName.has(name);
}

export function isSyscallName(name: string): boolean {
  return syscallNames.has(name);
}

export function isGenericSyscall(name: string): boolean {
  return genericNames.has(name);
}

export function eventName(code: number): string {
  return EVENTS[code]?.name ?? 'NA';
}

let paramsByName: Map<string, EventParamInfo> | undefined;

/** The first parameter with this name in the event table (gives evt.rawarg.NAME its type). */
export function eventParamNamed(name: string): EventParamInfo | undefined {
  if (!paramsByName) {
    paramsByName = new Map();
    for (const e of EVENTS) for (const p of e.params) if (!paramsByName.has(p.name)) paramsByName.set(p.name, p);
  }
  return paramsByName.get(name);
}
