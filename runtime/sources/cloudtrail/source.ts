// The aws_cloudtrail source (cloudtrail plugin): its fields, event time and evt.plugininfo.
import { parseRfc3339Nano } from '../rfc3339.ts';
import type { PluginSourceDef } from '../plugin-event.ts';
import { member, str, type JsonNode } from '../json-doc.ts';
import { CLOUDTRAIL_FIELDS } from './fields.ts';
import { memoInfo } from './record.ts';

export function cloudTrailTime(doc: JsonNode): bigint | undefined {
  const text = str(member(doc, 'eventTime'));
  return text === undefined ? undefined : parseRfc3339Nano(text);
}

export const CLOUDTRAIL_SOURCE: PluginSourceDef = {
  source: 'aws_cloudtrail',
  plugin: 'cloudtrail',
  fields: CLOUDTRAIL_FIELDS,
  time: cloudTrailTime,
  // evt.plugininfo is the plugin's info-flagged field, ct.info.
  info: (ev) => (ev.doc === undefined ? undefined : memoInfo(ev, ev.doc)),
};
