// The container record a thread's container.* fields read (spec/containers.md §3.1): the host
// record for host threads, the record the capture or the stream gave for its container id,
// none when nothing is known about that id. A container event itself carries its record.
import type { EventView } from '../events/event-view.ts';
import type { SystemState } from '../state/system-state.ts';
import type { ThreadInfo } from '../state/thread.ts';
import type { EventContext } from './context.ts';
import { ASYNCEVENT_CODE } from './event-traits.ts';

export type ContainerJson = Readonly<Record<string, unknown>>;

export type ContainerLookup =
  | { kind: 'host' }
  | { kind: 'record'; id: string; rec: ContainerJson }
  /** A container id nobody described: only the id (and start time) have values. */
  | { kind: 'unknown'; id: string };

const HOST: ContainerLookup = { kind: 'host' };
const LEGACY_CONTAINER_JSON = 324;

/** Text from the JSON record as a byte string (the values' UTF-8 bytes). */
export function bytesOf(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

export const str = (rec: ContainerJson, key: string): string => (typeof rec[key] === 'string' ? bytesOf(rec[key] as string) : '');
export const bool = (rec: ContainerJson, key: string): boolean => rec[key] === true;

/** A string→string map of the record (labels), values as byte strings. */
export function stringMap(rec: ContainerJson, key: string): ReadonlyMap<string, string> {
  const m = new Map<string, string>();
  const o = rec[key];
  if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) if (typeof v === 'string') m.set(bytesOf(k), bytesOf(v));
  }
  return m;
}

let lastEventRecord: { data: Uint8Array; offset: number; rec: ContainerJson | undefined } | undefined;

/** The record a container event carries (async `container` event or legacy JSON event). */
function eventRecord(v: EventView): ContainerJson | undefined {
  const isAsync = v.type === ASYNCEVENT_CODE && v.nparams > 2 && v.str(1) === 'container';
  if (!isAsync && v.type !== LEGACY_CONTAINER_JSON) return undefined;
  if (lastEventRecord && lastEventRecord.data === v.data && lastEventRecord.offset === v.offset) return lastEventRecord.rec;
  let rec: ContainerJson | undefined;
  try {
    const text = isAsync ? v.text(2) : v.str(0);
    const end = text.indexOf('\0');
    const doc: unknown = JSON.parse(Buffer.from(end >= 0 ? text.slice(0, end) : text, 'latin1').toString('utf8'));
    const c = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['container'] : undefined;
    rec = typeof c === 'object' && c !== null ? (c as ContainerJson) : undefined;
  } catch {
    rec = undefined;
  }
  lastEventRecord = { data: v.data, offset: v.offset, rec };
  return rec;
}

// Lookups are kept per record / id so that extraction does not allocate per event.
const byRecord = new WeakMap<ContainerJson, ContainerLookup>();
const unknownIds = new Map<string, ContainerLookup>();

function recordLookup(id: string, rec: ContainerJson): ContainerLookup {
  let l = byRecord.get(rec);
  if (!l) byRecord.set(rec, (l = { kind: 'record', id, rec }));
  return l;
}

export function containerOf(state: SystemState, t: ThreadInfo): ContainerLookup {
  const id = t.containerId;
  if (id === '') return HOST;
  const c = state.containers.get(id);
  if (c) return recordLookup(id, c.json);
  let l = unknownIds.get(id);
  if (!l) {
    if (unknownIds.size > 4096) unknownIds.clear();
    unknownIds.set(id, (l = { kind: 'unknown', id }));
  }
  return l;
}

/** The container the event's fields describe; undefined when the event has no thread. */
export function eventContainer(ctx: EventContext): ContainerLookup | undefined {
  const rec = eventRecord(ctx.view);
  if (rec) {
    const id = str(rec, 'id');
    return id === 'host' ? HOST : recordLookup(id, rec);
  }
  const t = ctx.state.tinfo;
  return t ? containerOf(ctx.state, t) : undefined;
}

/** The container's own IP ('' when unknown): what "local" means for a containerised thread. */
export function containerIp(state: SystemState, containerId: string): string {
  const c = state.containers.get(containerId);
  return c ? str(c.json, 'ip') : '';
}
