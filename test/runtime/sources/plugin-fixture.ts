// What the plugin field tests share: an event over a payload (a JSON value, or text taken as
// is), and one field's extractor built from its catalog entry.
import { PLUGIN_FIELDS } from '../../../runtime/fields/plugin-fields.ts';
import { parseJson } from '../../../runtime/sources/json-doc.ts';
import type { PluginEvent, PluginExtractor, PluginFieldFactory } from '../../../runtime/sources/plugin-event.ts';

export function pluginEvent(source: string, payload: unknown, o: { num?: number; ts?: bigint } = {}): PluginEvent {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  let doc;
  try {
    doc = parseJson(text);
  } catch {
    doc = undefined;
  }
  return { num: o.num ?? 1, ts: o.ts ?? 0n, source, text, doc };
}

/** `field[arg]` of `plugin`'s catalog through `table`'s factory. */
export function fieldExtractor(plugin: string, table: Readonly<Record<string, PluginFieldFactory>>, field: string, arg?: string): PluginExtractor {
  const info = PLUGIN_FIELDS.find((p) => p.plugin === plugin)!.fields.find((f) => f.name === field);
  if (!info) throw new Error(`${field} is not in the ${plugin} catalog`);
  const factory = table[field];
  if (!factory) throw new Error(`no extractor for ${field}`);
  return factory({ field: info, arg, argIndex: arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : undefined });
}
