// Named access to event parameters. Event versions differ in which parameters they carry and
// where (old clone/execve layouts, v1 captures), so parsers ask by name. A name is resolved
// once, at module load, into a slot: its index in every event code. Per event, a lookup is then
// one typed-array read and a bounds check against the record's parameter count.
import { EVENTS } from '../events/event-table.ts';
import type { EventView } from '../events/event-view.ts';

/** One parameter name's index per event code (-1 where the code has no such parameter). */
export type ParamSlot = Int8Array;

const slots = new Map<string, ParamSlot>();

export function paramSlot(name: string): ParamSlot {
  let s = slots.get(name);
  if (!s) {
    s = Int8Array.from(EVENTS, (e) => e.params.findIndex((p) => p.name === name));
    slots.set(name, s);
  }
  return s;
}

/** Slots for several names, as an object keyed by name (`P.flags`): build it once per module. */
export function paramSlots<const K extends string>(...names: K[]): Readonly<Record<K, ParamSlot>> {
  const out = {} as Record<K, ParamSlot>;
  for (const n of names) out[n] = paramSlot(n);
  return out;
}

/** Index of the parameter in this event, or -1 when the event (or this record) lacks it. */
export function paramAt(v: EventView, slot: ParamSlot): number {
  const i = slot[v.type] ?? -1;
  return i < v.nparams ? i : -1;
}

export function has(v: EventView, slot: ParamSlot): boolean {
  const i = paramAt(v, slot);
  return i >= 0 && v.paramLength(i) > 0;
}

export function int(v: EventView, slot: ParamSlot, fallback = 0, signed = true): number {
  const i = paramAt(v, slot);
  return i < 0 || v.paramLength(i) === 0 ? fallback : v.int(i, signed);
}

export function big(v: EventView, slot: ParamSlot, fallback = 0n, signed = false): bigint {
  const i = paramAt(v, slot);
  return i < 0 || v.paramLength(i) === 0 ? fallback : v.bigint(i, signed);
}

export function str(v: EventView, slot: ParamSlot): string {
  const i = paramAt(v, slot);
  return i < 0 ? '' : v.str(i);
}

export function strs(v: EventView, slot: ParamSlot): string[] {
  const i = paramAt(v, slot);
  return i < 0 ? [] : v.strings(i);
}

const NO_BYTES = new Uint8Array(0);

/** The parameter's bytes (a view into the event; empty when absent). */
export function bytes(v: EventView, slot: ParamSlot): Uint8Array {
  const i = paramAt(v, slot);
  return i < 0 ? NO_BYTES : v.bytes(i);
}

/** Index of the fd an fd-using event refers to: the first FD parameter after the return value. */
export const USED_FD_PARAM: Int8Array = Int8Array.from(EVENTS, (e) => {
  if (!e.flags.includes('USES_FD')) return -1;
  const from = e.dir === 'exit' ? 1 : 0;
  for (let i = from; i < e.params.length; i++) if (e.params[i]!.type === 'FD') return i;
  return -1;
});
