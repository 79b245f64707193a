// Field lookup per event source: which fields a rule of a given `source` may use.
import type { FieldInfo, PluginFields } from './field-info.ts';
import { SYSCALL_FIELDS } from './syscall-fields.ts';
import { PLUGIN_FIELDS } from './plugin-fields.ts';

export const SYSCALL_SOURCE = 'syscall';
/** falcoc's source of plain JSON documents (`falcoc replay --source json`); Falco has no such source. */
export const JSON_SOURCE = 'json';

/** Fields every source has (evt.num, evt.time, evt.source, …). */
const GENERIC_GROUP = 'evt (generic, all sources)';

export interface FieldCatalog {
  readonly source: string;
  readonly fields: readonly FieldInfo[];
  get(name: string): FieldInfo | undefined;
}

/** Plugins falcoc implements itself, with the versions whose fields it provides. */
export const BUILTIN_PLUGINS: readonly { name: string; version: string; source: string | null }[] = [
  { name: 'container', version: '0.7.1', source: null },
  { name: 'k8saudit', version: '0.18.0', source: 'k8s_audit' },
  { name: 'cloudtrail', version: '0.10.0', source: 'aws_cloudtrail' },
  { name: 'json', version: '0.7.0', source: null },
  { name: 'okta', version: '0.11.0', source: 'okta' },
  { name: 'github', version: '0.8.0', source: 'github' },
];

function makeCatalog(source: string, fields: readonly FieldInfo[]): FieldCatalog {
  const byName = new Map<string, FieldInfo>();
  for (const f of fields) if (!byName.has(f.name)) byName.set(f.name, f);
  return { source, fields, get: (name) => byName.get(name) };
}

function pluginSourceFields(p: PluginFields, json: PluginFields | undefined): FieldInfo[] {
  const generic = SYSCALL_FIELDS.filter((f) => f.group === GENERIC_GROUP);
  // The json plugin extracts from the events of any plugin source it is configured for.
  return [...generic, ...p.fields, ...(json?.fields ?? [])];
}

const catalogs = new Map<string, FieldCatalog>();

/** The catalog of a source, or undefined for a source falcoc does not know. */
export function catalogFor(source: string, extraFields: readonly FieldInfo[] = []): FieldCatalog | undefined {
  const key = extraFields.length === 0 ? source : undefined;
  const cached = key === undefined ? undefined : catalogs.get(key);
  if (cached) return cached;
  let fields: readonly FieldInfo[] | undefined;
  if (source === SYSCALL_SOURCE) fields = SYSCALL_FIELDS;
  else {
    const json = PLUGIN_FIELDS.find((p) => p.plugin === 'json');
    // falcoc's `json` source (any JSON documents) has the json plugin's fields alone.
    const p = source === JSON_SOURCE ? { ...json!, fields: [] } : PLUGIN_FIELDS.find((q) => q.source === source);
    if (p) fields = pluginSourceFields(p, json);
  }
  if (fields === undefined) return undefined;
  const cat = makeCatalog(source, [...fields, ...extraFields]);
  if (key !== undefined) catalogs.set(key, cat);
  return cat;
}

/** Every event source falcoc can load rules for. */
export function knownSources(): string[] {
  return [SYSCALL_SOURCE, ...PLUGIN_FIELDS.flatMap((p) => (p.source ? [p.source] : [])), JSON_SOURCE];
}
