// The github source (github plugin): its fields, event time and evt.plugininfo. TO BE COMPLETED.
import type { PluginSourceDef } from '../plugin-event.ts';
import { GITHUB_FIELDS } from './fields.ts';

export const GITHUB_SOURCE: PluginSourceDef = { source: 'github', plugin: 'github', fields: GITHUB_FIELDS };
