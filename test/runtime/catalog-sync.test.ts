// The checked-in catalogs (runtime/catalog/transcribe.mjs output) must match the reference spec.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSCALL_FIELDS } from '../../runtime/fields/syscall-fields.ts';
import { PLUGIN_FIELDS } from '../../runtime/fields/plugin-fields.ts';
import { EVENTS, ALL_SYSCALL_NAMES, GENERIC_SYSCALLS, FLAG_TABLES } from '../../runtime/events/event-table.ts';
import { sharedDir } from '../paths.ts';

const spec = (f: string) => JSON.parse(readFileSync(join(sharedDir, 'spec', f), 'utf8'));
const pick = (f: { name: string; type: string; isList: boolean; arg: string; flags?: readonly string[] }) => [f.name, f.type, f.isList, f.arg, f.flags ?? []];

describe('catalogs follow the spec', () => {
  test('syscall fields', () => {
    expect(SYSCALL_FIELDS.map(pick)).toEqual(spec('fields.json').fields.map(pick));
  });

  test('plugin fields', () => {
    const plugins = spec('fields-plugins.json').plugins as Record<string, { fields: Parameters<typeof pick>[0][] }>;
    expect(PLUGIN_FIELDS.map((p) => p.plugin)).toEqual(Object.keys(plugins));
    for (const p of PLUGIN_FIELDS) expect(p.fields.map(pick)).toEqual(plugins[p.plugin]!.fields.map(pick));
  });

  test('event table', () => {
    const ev = spec('events.json');
    expect(EVENTS.map((e) => [e.code, e.name, e.dir, e.params.map((p) => `${p.name}:${p.type}`)])).toEqual(
      ev.events.map((e: { code: number; name: string; dir: string; params: { name: string; type: string }[] }) => [
        e.code, e.name, e.dir, e.params.map((p) => `${p.name}:${p.type}`),
      ]),
    );
    expect(ALL_SYSCALL_NAMES).toEqual(ev.allSyscallNames);
    expect(GENERIC_SYSCALLS).toEqual(ev.genericSyscalls);
    expect(FLAG_TABLES).toEqual(ev.flagTables);
  });
});
