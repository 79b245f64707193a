// The okta source (okta plugin): its fields, event time and evt.plugininfo. TO BE COMPLETED.
import type { PluginSourceDef } from '../plugin-event.ts';
import { OKTA_FIELDS } from './fields.ts';

export const OKTA_SOURCE: PluginSourceDef = { source: 'okta', plugin: 'okta', fields: OKTA_FIELDS };
