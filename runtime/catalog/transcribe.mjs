#!/usr/bin/env node
// Writes the field catalogs and the event table from the reference spec's JSON files:
//   node runtime/catalog/transcribe.mjs <spec-dir>
// The outputs are checked in; test/runtime/catalog-sync.test.ts fails if they drift from the spec.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const specDir = process.argv[2];
if (!specDir) {
  console.error('usage: node runtime/catalog/transcribe.mjs <spec-dir>');
  process.exit(2);
}
const runtimeDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (f) => JSON.parse(readFileSync(join(specDir, f), 'utf8'));
const HEADER = (what) => `// ${what}, transcribed from the reference spec by runtime/catalog/transcribe.mjs.\n// Do not edit by hand: change the spec and re-run the script.\n`;

function argForm(f) {
  if (f.arg === 'none') return undefined;
  const s = f.argSyntax ?? '';
  if (f.name === 'evt.arg') return 'both';
  if (/dot form only|suffix form|evt\.rawarg\.NAME only/.test(s)) return 'suffix';
  return 'bracket';
}

function field(f, defaults) {
  const out = { name: f.name, type: f.type, isList: f.isList, arg: f.arg };
  if (f.argKind) out.argKind = f.argKind;
  const form = argForm(f);
  if (form) out.argForm = form;
  out.flags = f.flags ?? [];
  if (f.printFormat) out.printFormat = f.printFormat;
  out.group = f.class ?? defaults.group;
  out.provider = f.provider ?? defaults.provider;
  out.desc = f.desc;
  return out;
}

const line = (o) => '  ' + JSON.stringify(o) + ',';

const sys = read('fields.json');
writeFileSync(join(runtimeDir, 'fields/syscall-fields.ts'),
  HEADER('Fields of the syscall event source (libsinsp filterchecks plus the container plugin)') +
  "import type { FieldInfo } from './field-info.ts';\n\n" +
  'export const SYSCALL_FIELDS: readonly FieldInfo[] = [\n' +
  sys.fields.map((f) => line(field(f, {}))).join('\n') + '\n];\n');

const plug = read('fields-plugins.json');
const plugins = Object.entries(plug.plugins).map(([name, p]) => ({
  plugin: name,
  source: /^[a-z0-9_]+$/.test(p.source) ? p.source : null,
  fields: p.fields.map((f) => field(f, { group: name, provider: `${name} plugin` })),
}));
writeFileSync(join(runtimeDir, 'fields/plugin-fields.ts'),
  HEADER('Fields of the event-source plugins falcoc implements') +
  "import type { PluginFields } from './field-info.ts';\n\n" +
  'export const PLUGIN_FIELDS: readonly PluginFields[] = [\n' +
  plugins.map((p) => `  {\n    plugin: ${JSON.stringify(p.plugin)},\n    source: ${JSON.stringify(p.source)},\n    fields: [\n` +
    p.fields.map((f) => '  ' + line(f)).join('\n') + '\n    ],\n  },').join('\n') + '\n];\n');

const ev = read('events.json');
const events = ev.events.map((e) => {
  const o = { code: e.code, enum: e.enum, name: e.name, dir: e.dir, kind: e.kind, category: e.category, flags: e.flags, current: e.current };
  o.params = e.params.map((p) => {
    const q = { name: p.name, type: p.type, fmt: p.fmt };
    if (p.flagTable) q.flagTable = p.flagTable;
    if (p.dirfdParam !== undefined) q.dirfdParam = p.dirfdParam;
    return q;
  });
  if (e.syscalls) o.syscalls = e.syscalls;
  return o;
});
writeFileSync(join(runtimeDir, 'events/event-table.ts'),
  HEADER('The scap/ppm kernel event table (codes, names, parameters)') +
  "import type { EventInfo } from './event-info.ts';\n\n" +
  'export const EVENTS: readonly EventInfo[] = [\n' + events.map(line).join('\n') + '\n];\n\n' +
  '/** Syscalls without a dedicated event pair: reported as the generic `syscall` event. */\n' +
  `export const GENERIC_SYSCALLS: readonly string[] = ${JSON.stringify(ev.genericSyscalls)};\n\n` +
  '/** Every syscall name libs knows. */\n' +
  `export const ALL_SYSCALL_NAMES: readonly string[] = ${JSON.stringify(ev.allSyscallNames)};\n\n` +
  '/** Symbolic names for FLAGS/ENUMFLAGS/MODE parameters, in upstream order. */\n' +
  'export const FLAG_TABLES: Readonly<Record<string, readonly (readonly [string, number])[]>> = {\n' +
  Object.entries(ev.flagTables).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`).join('\n') + '\n};\n');
console.log(`wrote ${sys.fields.length} syscall fields, ${plugins.length} plugin catalogs, ${events.length} events`);
