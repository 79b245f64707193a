// falco.yaml's append_output entries as the compiler takes them: text appended to matching
// rules' outputs (extra_output, suggested_output) and extra output_fields.
import type { ExtraOutput, ExtraOutputField } from '../../compiler/resolve/compile-collection.ts';
import type { AppendOutput } from '../config/engine-config.ts';
import { SYSCALL_FIELDS } from '../fields/syscall-fields.ts';
import { SYSCALL_SOURCE } from '../fields/catalog.ts';

export interface ExtraOutputs {
  extraOutputs: ExtraOutput[];
  extraOutputFields: ExtraOutputField[];
  /** Keys of extra fields given as a bare field name: their typed value goes to output_fields. */
  typedKeys: Set<string>;
}

/** ` container_id=%container.id …`: the syscall fields the container plugin suggests for outputs. */
export function suggestedOutputFormat(): string {
  return SYSCALL_FIELDS.filter((f) => f.flags.includes('FORMAT_SUGGESTED'))
    .map((f) => `${f.name.replace(/\./g, '_')}=%${f.name}`)
    .join(' ');
}

export function extraOutputsOf(entries: readonly AppendOutput[]): ExtraOutputs {
  const out: ExtraOutputs = { extraOutputs: [], extraOutputFields: [], typedKeys: new Set() };
  for (const e of entries) {
    const match: Omit<ExtraOutput, 'format'> = {};
    if (e.match?.source !== undefined) match.source = e.match.source;
    if (e.match?.tags !== undefined) match.tags = e.match.tags;
    if (e.match?.rule !== undefined) match.rule = e.match.rule;
    if (e.suggestedOutput && (match.source === undefined || match.source === SYSCALL_SOURCE)) {
      out.extraOutputs.push({ ...match, source: SYSCALL_SOURCE, format: suggestedOutputFormat() });
    }
    if (e.extraOutput) out.extraOutputs.push({ ...match, format: e.extraOutput });
    for (const f of e.extraFields ?? []) {
      if ('field' in f) {
        out.extraOutputFields.push({ ...match, key: f.field, format: `%${f.field}` });
        out.typedKeys.add(f.field);
      } else out.extraOutputFields.push({ ...match, key: f.name, format: f.format });
    }
  }
  return out;
}
