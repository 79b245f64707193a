// Every extractor of every plugin source on documents of the wrong shape — empty, nulls, wrong
// member types, arrays for objects, odd arguments, huge and non-ASCII strings — returns a value,
// no value, or the plugin's extraction failure: never any other exception (a crash of the run).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLUGIN_FIELDS } from '../../../runtime/fields/plugin-fields.ts';
import { PLUGIN_SOURCES, JSON_PLUGIN_FIELDS } from '../../../runtime/sources/sources.ts';
import { PluginExtractError, type PluginFieldFactory } from '../../../runtime/sources/plugin-event.ts';
import { pluginEvent } from './plugin-fixture.ts';
import { sharedDir } from '../../paths.ts';

/** Replaces every value of a document by `v`, recursively, keeping its shape's keys. */
function everywhere(doc: unknown, v: unknown): unknown {
  if (Array.isArray(doc)) return doc.map((x) => everywhere(x, v));
  if (doc && typeof doc === 'object') return Object.fromEntries(Object.entries(doc).map(([k, x]) => [k, x && typeof x === 'object' ? everywhere(x, v) : v]));
  return v;
}

function samples(source: string): unknown[] {
  const dir = join(sharedDir, 'plugin-sources/events', source);
  return readdirSync(dir).flatMap((f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    try {
      const doc = JSON.parse(text) as { Records?: unknown[] };
      return doc.Records ?? [doc];
    } catch {
      return [text]; // not JSON: the payload as it is
    }
  });
}

const ARGS = [undefined, '0', '1', '999999', '-1', '', 'x', '/', '/a/b', '~', '*', '/%zz', 'k'.repeat(10_000)];

function hostileDocs(source: string): unknown[] {
  const base = samples(source);
  return [
    {}, [], null, 0, 'text', [{}], { a: null },
    ...base.flatMap((d) => [everywhere(d, null), everywhere(d, 7), everywhere(d, 'x'), everywhere(d, []), everywhere(d, {}), everywhere(d, true), everywhere(d, 'é€💥\u0000'), everywhere(d, 'y'.repeat(100_000))]),
    ...base,
  ];
}

const checked = new Map<string, number>();
describe('plugin extractors on hostile events', () => {
  for (const [source, def] of PLUGIN_SOURCES) {
    it(`${source}: every field, every argument, every hostile document`, () => {
      const catalog = source === 'json' ? PLUGIN_FIELDS.find((p) => p.plugin === 'json')!.fields : PLUGIN_FIELDS.find((p) => p.source === source)!.fields;
      const table: Readonly<Record<string, PluginFieldFactory>> = source === 'json' ? JSON_PLUGIN_FIELDS : def.fields;
      const docs = hostileDocs(source === 'json' ? 'json' : source).map((d) => pluginEvent(source, d));
      let n = 0;
      for (const info of catalog) {
        for (const arg of info.arg === 'none' ? [undefined] : ARGS) {
          if (info.arg === 'required' && arg === undefined) continue;
          const x = table[info.name]!({ field: info, arg, argIndex: arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : undefined });
          for (const ev of docs) {
            n++;
            try {
              x(ev);
            } catch (e) {
              if (!(e instanceof PluginExtractError)) throw new Error(`${info.name}${arg === undefined ? '' : `[${arg.slice(0, 20)}]`} on ${ev.text.slice(0, 120)}: ${(e as Error).stack}`);
            }
          }
        }
      }
      for (const ev of docs) {
        if (ev.doc) def.time?.(ev.doc);
        try {
          def.info?.(ev);
        } catch (e) {
          if (!(e instanceof PluginExtractError)) throw e;
        }
      }
      checked.set(source, n);
      expect(n).toBeGreaterThan(500);
    }, 120_000);
  }
});
