// Falco's rules-file JSON schema check. It never fails a load; Falco reports it as
// "schema validation: ok|failed". Scalars are weakly typed as in Falco's validator: every
// scalar is a string, and also an integer or boolean when its text reads as one.
import type { YMap, YNode } from './yaml-tree.ts';

type Check = (n: YNode, path: string, out: string[]) => void;

const isInt = (n: YNode) => n.kind === 'scalar' && /^[-+]?[0-9]+$/.test(n.value);
const isBool = (n: YNode) => n.kind === 'scalar' && /^(true|false)$/i.test(n.value);

const string: Check = (n, p, out) => {
  if (n.kind !== 'scalar') out.push(`${p}: value is not a string`);
};
const boolean: Check = (n, p, out) => {
  if (!isBool(n)) out.push(`${p}: value is not a boolean`);
};
const integer: Check = (n, p, out) => {
  if (!isInt(n)) out.push(`${p}: value is not an integer`);
};
const anything: Check = () => {};
const arrayOf = (item: Check): Check => (n, p, out) => {
  if (n.kind !== 'seq') return void out.push(`${p}: value is not an array`);
  n.items.forEach((v, i) => item(v, `${p}/${i}`, out));
};
const enumOf = (values: readonly string[]): Check => (n, p, out) => {
  if (n.kind !== 'scalar' || !values.includes(n.value)) out.push(`${p}: value is not one of ${values.join(', ')}`);
};
const object = (props: Record<string, Check>, required: readonly string[] = [], minProperties = 0): Check => (n, p, out) => {
  if (n.kind !== 'map') return void out.push(`${p}: value is not an object`);
  const keys = (n as YMap).pairs.flatMap((pair) => (pair.key.kind === 'scalar' ? [pair.key.value] : []));
  for (const r of required) if (!keys.includes(r)) out.push(`${p}: missing required property '${r}'`);
  if (keys.length < minProperties) out.push(`${p}: object has fewer than ${minProperties} properties`);
  for (const pair of (n as YMap).pairs) {
    if (pair.key.kind !== 'scalar') continue;
    const check = props[pair.key.value];
    if (!check) out.push(`${p}: additional property '${pair.key.value}' is not allowed`);
    else check(pair.value, `${p}/${pair.key.value}`, out);
  }
};

const overridden = enumOf(['append', 'replace']);
const OVERRIDABLE = [
  'items', 'desc', 'condition', 'output', 'priority', 'enabled', 'exceptions', 'capture', 'capture_duration',
  'capture_events', 'capture_filesize', 'tags', 'warn_evttypes', 'skip-if-unknown-filter',
];
const alternative = object({ name: string, version: string }, ['name', 'version']);
const rulesItem = object({
  required_engine_version: string,
  required_plugin_versions: arrayOf(object({ name: string, version: string, alternatives: arrayOf(alternative) }, ['name', 'version'])),
  macro: string,
  condition: string,
  list: string,
  items: arrayOf((n, p, out) => {
    if (n.kind !== 'scalar') out.push(`${p}: value is not an integer or a string`);
  }),
  rule: string,
  desc: string,
  enabled: boolean,
  output: string,
  append: boolean,
  priority: enumOf(['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'INFORMATIONAL', 'DEBUG']),
  capture: boolean,
  capture_duration: integer,
  capture_events: integer,
  capture_filesize: integer,
  source: string,
  exceptions: arrayOf(object({ name: string, fields: anything, comps: anything, values: anything }, ['name'])),
  override: object(Object.fromEntries(OVERRIDABLE.map((k) => [k, overridden])), [], 1),
  tags: arrayOf(string),
  warn_evttypes: boolean,
  'skip-if-unknown-filter': boolean,
});

/** Schema problems of one YAML document (empty when it validates). */
export function schemaProblems(doc: YNode): string[] {
  const out: string[] = [];
  arrayOf(rulesItem)(doc, '', out);
  return out;
}
