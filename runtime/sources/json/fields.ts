// json plugin fields (json.*, jevt.*). TO BE WRITTEN.
import type { PluginFieldFactory } from '../plugin-event.ts';

export const JSON_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {};
