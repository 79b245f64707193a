// The plugin sources falcoc has built in, by source name. A new source is one folder here with
// a source.ts (its PluginSourceDef), listed below.
import type { PluginSourceDef } from './plugin-event.ts';
import { K8S_AUDIT_SOURCE } from './k8s-audit/source.ts';
import { CLOUDTRAIL_SOURCE } from './cloudtrail/source.ts';
import { OKTA_SOURCE } from './okta/source.ts';
import { GITHUB_SOURCE } from './github/source.ts';
import { JSON_SOURCE } from './json/source.ts';
import { JSON_FIELDS } from './json/fields.ts';

export const PLUGIN_SOURCES: ReadonlyMap<string, PluginSourceDef> = new Map(
  [K8S_AUDIT_SOURCE, CLOUDTRAIL_SOURCE, OKTA_SOURCE, GITHUB_SOURCE, JSON_SOURCE].map((d) => [d.source, d]),
);

/** The json plugin extracts from the events of every plugin source. */
export const JSON_PLUGIN_FIELDS = JSON_FIELDS;
