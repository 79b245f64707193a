// The okta source (okta plugin): its fields, event time and evt.plugininfo.
// - Time: the plugin stamps each event with its `published` time (RFC 3339), parsed with Go's
//   time.Parse; an event whose time does not parse is timed when read.
// - evt.plugininfo: the plugin's String() is the event payload itself.
import type { JsonNode } from '../json-doc.ts';
import type { PluginSourceDef } from '../plugin-event.ts';
import { OKTA_FIELDS } from './fields.ts';
import { decodeLogEvent, OktaDecodeError } from './log-event.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** ns since the epoch of an RFC 3339 time as Go's time.Parse(time.RFC3339, …) reads it. */
export function parseRfc3339(s: string): bigint | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysIn = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn || h > 23 || mi > 59 || se > 59) return undefined;
  let offsetMin = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, se));
  date.setUTCFullYear(y);
  const frac = BigInt((m[7] ?? '').slice(0, 9).padEnd(9, '0'));
  return BigInt(date.getTime()) * 1_000_000n + frac - BigInt(offsetMin) * 60_000_000_000n;
}

function oktaTime(doc: JsonNode): bigint | undefined {
  try {
    return parseRfc3339(decodeLogEvent(doc).published);
  } catch (e) {
    if (e instanceof OktaDecodeError) return undefined;
    throw e;
  }
}

export const OKTA_SOURCE: PluginSourceDef = {
  source: 'okta',
  plugin: 'okta',
  fields: OKTA_FIELDS,
  time: oktaTime,
  info: (ev) => ev.text,
};
