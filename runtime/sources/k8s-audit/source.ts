// The k8s_audit source (k8saudit plugin): its fields, event time and evt.plugininfo.
import { member, str } from '../json-doc.ts';
import type { PluginSourceDef } from '../plugin-event.ts';
import { K8S_AUDIT_FIELDS } from './fields.ts';
import { parseRfc3339Nano } from '../rfc3339.ts';

export const K8S_AUDIT_SOURCE: PluginSourceDef = {
  source: 'k8s_audit',
  plugin: 'k8saudit',
  fields: K8S_AUDIT_FIELDS,
  // The plugin stamps each event with its stageTimestamp (RFC 3339, any fraction); it drops
  // events where that is missing or does not parse, hence undefined.
  time: (doc) => {
    const stamp = member(doc, 'stageTimestamp');
    return stamp === undefined ? undefined : parseRfc3339Nano(str(stamp) ?? '');
  },
  // The plugin's String(): the event payload itself.
  info: (ev) => ev.text,
};
