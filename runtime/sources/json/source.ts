// The json source: JSON documents of any kind (one per line or per file); its fields are the
// json plugin's (json.*, jevt.*), which every plugin source has too.
import type { PluginSourceDef } from '../plugin-event.ts';

export const JSON_SOURCE: PluginSourceDef = { source: 'json', plugin: 'json', fields: {} };
