// Named access to event parameters. Event versions differ in which parameters they carry and
// where (old clone/execve layouts, v1 captures), so parsers ask by name; the lookup tables are
// built once per event code.
import { EVENTS } from '../events/event-table.ts';
import type { EventView } from '../events/event-view.ts';

const INDEX: readonly ReadonlyMap<string, number>[] = EVENTS.map((e) => new Map(e.params.map((p, i) => [p.name, i])));

/** Index of the named parameter in this event, or -1 when the event (or this record) lacks it. */
export function paramAt(v: EventView, name: string): number {
  const i = INDEX[v.type]?.get(name);
  return i === undefined || i >= v.nparams ? -1 : i;
}

export function has(v: EventView, name: string): boolean {
  const i = paramAt(v, name);
  return i >= 0 && v.paramLength(i) > 0;
}

export function int(v: EventView, name: string, fallback = 0, signed = true): number {
  const i = paramAt(v, name);
  return i < 0 || v.paramLength(i) === 0 ? fallback : v.int(i, signed);
}

export function big(v: EventView, name: string, fallback = 0n, signed = false): bigint {
  const i = paramAt(v, name);
  return i < 0 || v.paramLength(i) === 0 ? fallback : v.bigint(i, signed);
}

export function str(v: EventView, name: string): string {
  const i = paramAt(v, name);
  return i < 0 ? '' : v.str(i);
}

export function strs(v: EventView, name: string): string[] {
  const i = paramAt(v, name);
  return i < 0 ? [] : v.strings(i);
}

export function bytes(v: EventView, name: string): Uint8Array {
  const i = paramAt(v, name);
  return i < 0 ? new Uint8Array(0) : v.bytes(i);
}

/** Index of the fd an fd-using event refers to: the first FD parameter after the return value. */
export const USED_FD_PARAM: readonly number[] = EVENTS.map((e) => {
  if (!e.flags.includes('USES_FD')) return -1;
  const from = e.dir === 'exit' ? 1 : 0;
  for (let i = from; i < e.params.length; i++) if (e.params[i]!.type === 'FD') return i;
  return -1;
});
