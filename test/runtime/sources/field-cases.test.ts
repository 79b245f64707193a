// Every field case of ../shared/plugin-sources/field-cases.yaml (read at test time): the event
// file (or CloudTrail record) as the plugin would get it, one field reference, and the value the
// plugin hands Falco — a string, a list, nothing, or an extraction error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { PLUGIN_FIELDS } from '../../../runtime/fields/plugin-fields.ts';
import { PLUGIN_SOURCES, JSON_PLUGIN_FIELDS } from '../../../runtime/sources/sources.ts';
import { parseJson, at, compact, utf8Bytes } from '../../../runtime/sources/json-doc.ts';
import { PluginExtractError, type PluginEvent } from '../../../runtime/sources/plugin-event.ts';
import type { Extracted } from '../../../runtime/operators/values.ts';
import { sharedDir } from '../../paths.ts';

interface FieldCase {
  id: string;
  source: string;
  plugin?: string;
  event_file: string;
  record?: number;
  field: string;
  arg?: string | number;
  expected?: string;
  expected_list?: string[];
  expected_absent?: boolean;
  expect_error?: boolean;
  note?: string;
}

const dir = join(sharedDir, 'plugin-sources');
const cases = parseYaml(readFileSync(join(dir, 'field-cases.yaml'), 'utf8')) as FieldCase[];

/** The event a case is about, as the source's reader would hand it over. */
function eventOf(c: FieldCase): PluginEvent {
  let text = readFileSync(join(dir, c.event_file), 'utf8');
  if (c.record !== undefined) text = compact(at(parseJson(text), 'Records', c.record)!);
  let doc;
  try {
    doc = parseJson(text);
  } catch {
    doc = undefined;
  }
  return { num: 1, ts: 1_700_000_000_000_000_000n, source: c.source, text, doc };
}

/** What a value reads as in the cases: decimal text for numbers, the bytes as UTF-8 text. */
const shown = (v: unknown): string => (typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? Buffer.from(v, 'latin1').toString('utf8') : String(v));

function extract(c: FieldCase): Extracted {
  const info = PLUGIN_FIELDS.flatMap((p) => p.fields).find((f) => f.name === c.field);
  if (!info) throw new Error(`${c.id}: ${c.field} is in no plugin catalog`);
  const table = c.plugin === 'json' ? JSON_PLUGIN_FIELDS : PLUGIN_SOURCES.get(c.source)!.fields;
  const factory = table[c.field];
  if (!factory) throw new Error(`${c.id}: no extractor for ${c.field}`);
  const arg = c.arg === undefined ? undefined : String(c.arg);
  const ref = { field: info, arg, argIndex: arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : undefined };
  return factory(ref)(eventOf(c));
}

const ran = new Map<string, number>();
afterAll(() => {
  console.log(`plugin field cases run per source: ${[...ran].map(([s, n]) => `${s} ${n}`).join(', ')} (${cases.length} in all)`);
});

describe('plugin field cases (../shared/plugin-sources)', () => {
  it('has cases for every source', () => {
    expect(new Set(cases.map((c) => c.source))).toEqual(new Set(['k8s_audit', 'aws_cloudtrail', 'okta', 'github', 'json']));
  });
  for (const c of cases) {
    it(`${c.id} ${c.source} ${c.field}${c.arg !== undefined ? `[${c.arg}]` : ''}`, () => {
      ran.set(c.source, (ran.get(c.source) ?? 0) + 1);
      if (c.expect_error) {
        expect(() => extract(c)).toThrow(PluginExtractError);
        return;
      }
      const got = extract(c);
      if (c.expected_absent) expect(got, c.note).toBeUndefined();
      else if (c.expected_list) expect(Array.isArray(got) ? got.map(shown) : got, c.note).toEqual(c.expected_list);
      else {
        expect(Array.isArray(got), `${c.field} gave a list`).toBe(false);
        expect(got === undefined ? undefined : shown(got), c.note).toBe(String(c.expected));
        // Byte strings: non-ASCII text arrives as its UTF-8 bytes.
        if (typeof got === 'string') expect(got).toBe(utf8Bytes(String(c.expected)));
      }
    });
  }
});
