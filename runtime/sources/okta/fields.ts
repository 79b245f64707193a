// okta plugin fields (okta.*). TO BE WRITTEN.
import type { PluginFieldFactory } from '../plugin-event.ts';

export const OKTA_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {};
