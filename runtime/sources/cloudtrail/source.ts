// The aws_cloudtrail source (cloudtrail plugin): its fields, event time and evt.plugininfo.
import type { PluginSourceDef } from '../plugin-event.ts';
import { member, str, type JsonNode } from '../json-doc.ts';
import { CLOUDTRAIL_FIELDS } from './fields.ts';
import { memoInfo } from './record.ts';

// Go's time.RFC3339 layout as time.Parse accepts it: fractional seconds optional, Z or ±hh:mm.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * eventTime (RFC 3339) as ns since the epoch; undefined when it is missing, not a string or
 * not a valid time — the plugin then skips the record.
 */
export function cloudTrailTime(doc: JsonNode): bigint | undefined {
  const text = str(member(doc, 'eventTime'));
  const m = text === undefined ? null : RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMin = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0–99 to 1900+; set the full year for those.
  const epochMs = year < 100 ? new Date(ms).setUTCFullYear(year) : ms;
  const frac = (m[7] ?? '').slice(0, 9).padEnd(9, '0');
  return (BigInt(epochMs) / 1000n - BigInt(offsetMin * 60)) * 1_000_000_000n + BigInt(frac);
}

export const CLOUDTRAIL_SOURCE: PluginSourceDef = {
  source: 'aws_cloudtrail',
  plugin: 'cloudtrail',
  fields: CLOUDTRAIL_FIELDS,
  time: cloudTrailTime,
  // evt.plugininfo is the plugin's info-flagged field, ct.info.
  info: (ev) => (ev.doc === undefined ? undefined : memoInfo(ev, ev.doc)),
};
