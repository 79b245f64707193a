// k8saudit plugin fields (ka.*). TO BE WRITTEN.
import type { PluginFieldFactory } from '../plugin-event.ts';

export const K8S_AUDIT_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {};
