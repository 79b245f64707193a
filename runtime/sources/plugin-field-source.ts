// Field values of plugin events for the interpreter and alert rendering: the source's own
// fields, the json plugin's (which extract from any plugin source) and the evt.* fields every
// source has. Extractors are built once per field reference, on first use.
import type { TypedField } from '../../compiler/check/typed.ts';
import type { FieldSource } from '../interpreter/evaluate.ts';
import type { Extracted } from '../operators/values.ts';
import type { FieldRef } from '../extract/context.ts';
import { localDateTime, localDateTimeSeconds, localTime, localTimeSeconds, utcTime } from '../extract/time-text.ts';
import { PluginExtractError, type PluginEvent, type PluginExtractor, type PluginFieldFactory, type PluginSourceDef } from './plugin-event.ts';
import { JSON_PLUGIN_FIELDS } from './sources.ts';
import { utf8Bytes } from './json-doc.ts';

const NS = 1_000_000_000n;

/** What the generic evt.* fields read beside the event. */
export interface PluginEventContext {
  ev: PluginEvent;
  def: PluginSourceDef;
  hostname: string;
  /** Time of the run's first event (evt.reltime). */
  firstTs: bigint;
}

type ContextExtractor = (c: PluginEventContext) => Extracted;

/** evt.* of every source, for plugin events (libsinsp's generic fields). */
const GENERIC: Readonly<Record<string, () => ContextExtractor>> = {
  'evt.num': () => (c) => BigInt(c.ev.num),
  'evt.time': () => (c) => localTime(c.ev.ts),
  'evt.time.s': () => (c) => localTimeSeconds(c.ev.ts),
  'evt.time.iso8601': () => (c) => utcTime(c.ev.ts),
  'evt.datetime': () => (c) => localDateTime(c.ev.ts),
  'evt.datetime.s': () => (c) => localDateTimeSeconds(c.ev.ts),
  'evt.rawtime': () => (c) => c.ev.ts,
  'evt.rawtime.s': () => (c) => c.ev.ts / NS,
  'evt.rawtime.ns': () => (c) => c.ev.ts % NS,
  'evt.reltime': () => (c) => c.ev.ts - c.firstTs,
  'evt.reltime.s': () => (c) => (c.ev.ts - c.firstTs) / NS,
  'evt.reltime.ns': () => (c) => (c.ev.ts - c.firstTs) % NS,
  'evt.pluginname': () => (c) => c.def.plugin,
  'evt.plugininfo': () => (c) => {
    const info = c.def.info?.(c.ev);
    return info === undefined ? undefined : utf8Bytes(info);
  },
  'evt.source': () => (c) => c.ev.source,
  'evt.is_async': () => () => false,
  'evt.asynctype': () => () => undefined,
  'evt.hostname': () => (c) => c.hostname,
};

/** The extractor of one field reference for `def`'s events; throws naming an unknown field. */
export function pluginExtractor(def: PluginSourceDef, ref: FieldRef): ContextExtractor {
  const name = ref.field.name;
  const generic = GENERIC[name];
  if (generic) return generic();
  const factory: PluginFieldFactory | undefined = def.fields[name] ?? JSON_PLUGIN_FIELDS[name];
  if (!factory) throw new Error(`field ${name} has no extractor for the ${def.source} source`);
  const x: PluginExtractor = factory(ref);
  return (c) => {
    try {
      return x(c.ev);
    } catch (e) {
      // A failed extraction is a field without a value (Falco: the check is false).
      if (e instanceof PluginExtractError) return undefined;
      throw e;
    }
  };
}

export class PluginFieldSource implements FieldSource {
  private readonly cache = new Map<TypedField, ContextExtractor>();
  readonly ctx: PluginEventContext;

  constructor(def: PluginSourceDef, hostname: string) {
    this.ctx = { ev: { num: 0, ts: 0n, source: def.source, text: '', doc: undefined }, def, hostname, firstTs: 0n };
  }

  /** Points the source at the next event. */
  next(ev: PluginEvent): void {
    if (this.ctx.firstTs === 0n) this.ctx.firstTs = ev.ts;
    this.ctx.ev = ev;
  }

  extract(f: TypedField): Extracted {
    let x = this.cache.get(f);
    if (!x) this.cache.set(f, (x = pluginExtractor(this.ctx.def, f)));
    return x(this.ctx);
  }
}
