// The extractor registry of the syscall source: one factory per catalog field, a compiled
// extractor per field reference, and the FieldSource the interpreter and alert rendering use.
import type { TypedField } from '../../compiler/check/typed.ts';
import type { FieldSource } from '../interpreter/evaluate.ts';
import type { Extracted } from '../operators/values.ts';
import type { EventContext, ExtractMode, Extractor, ExtractorFactory, FieldRef } from './context.ts';
import { CONTAINER_FIELDS } from './container-fields.ts';
import { EVT_FIELDS } from './evt-fields.ts';
import { FD_FIELDS } from './fd-fields.ts';
import { FDLIST_FIELDS } from './fdlist-fields.ts';
import { FSPATH_FIELDS } from './fspath-fields.ts';
import { PROC_FIELDS } from './proc-fields.ts';
import { USER_FIELDS } from './user-fields.ts';

const UTIL_FIELDS: Readonly<Record<string, ExtractorFactory>> = {
  // A counter that goes up by one per extraction (libsinsp's hidden util class).
  'util.cnt': () => {
    let n = 0n;
    return () => ++n;
  },
};

const FACTORIES: ReadonlyMap<string, ExtractorFactory> = new Map(
  [EVT_FIELDS, PROC_FIELDS, USER_FIELDS, FD_FIELDS, FSPATH_FIELDS, FDLIST_FIELDS, CONTAINER_FIELDS, UTIL_FIELDS].flatMap((t) =>
    Object.entries(t),
  ),
);

/** Whether the syscall source can extract the named field. */
export function hasExtractor(name: string): boolean {
  return FACTORIES.has(name);
}

/**
 * Compiled once per field reference (name + arg); throws an Error naming the field if
 * unsupported. `mode` matters only for the ancestor fields without an index.
 */
export function compileExtractor(field: FieldRef, mode: ExtractMode = 'filter'): Extractor {
  const factory = FACTORIES.get(field.field.name);
  if (!factory) throw new Error(`field ${field.field.name} has no extractor for the syscall source`);
  return factory(field, mode);
}

/**
 * Field values for the current event. The same source serves every event: the context's
 * view and state are re-pointed by the replay loop, and extractors are compiled on first use
 * of each field reference.
 */
export class SyscallFieldSource implements FieldSource {
  private readonly filterCache = new Map<TypedField, Extractor>();
  private readonly outputCache = new Map<TypedField, Extractor>();

  constructor(readonly ctx: EventContext) {}

  /** The field's value as conditions compare it. */
  extract(f: TypedField): Extracted {
    let x = this.filterCache.get(f);
    if (!x) this.filterCache.set(f, (x = compileExtractor(f, 'filter')));
    return x(this.ctx);
  }

  /** The field's value as an output shows it (differs for proc.aname and friends without an index). */
  extractForOutput(f: TypedField): Extracted {
    let x = this.outputCache.get(f);
    if (!x) this.outputCache.set(f, (x = compileExtractor(f, 'output')));
    return x(this.ctx);
  }
}
