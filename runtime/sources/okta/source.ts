// The okta source (okta plugin): its fields, event time and evt.plugininfo.
// - Time: the plugin stamps each event with its `published` time (RFC 3339), parsed with Go's
//   time.Parse; an event whose time does not parse is timed when read.
// - evt.plugininfo: the plugin's String() is the event payload itself.
import type { JsonNode } from '../json-doc.ts';
import { parseRfc3339Nano } from '../rfc3339.ts';
import type { PluginSourceDef } from '../plugin-event.ts';
import { OKTA_FIELDS } from './fields.ts';
import { decodeLogEvent, OktaDecodeError } from './log-event.ts';

function oktaTime(doc: JsonNode): bigint | undefined {
  try {
    return parseRfc3339Nano(decodeLogEvent(doc).published);
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
