// The k8s_audit source (k8saudit plugin): its fields, event time and evt.plugininfo. TO BE COMPLETED.
import type { PluginSourceDef } from '../plugin-event.ts';
import { K8S_AUDIT_FIELDS } from './fields.ts';

export const K8S_AUDIT_SOURCE: PluginSourceDef = { source: 'k8s_audit', plugin: 'k8saudit', fields: K8S_AUDIT_FIELDS };
