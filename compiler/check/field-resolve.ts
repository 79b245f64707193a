// Resolving a written field (`proc.aname[2]`, `evt.arg.fd`, `evt.rawarg.res`) against a catalog.
import type { FieldCatalog } from '../../runtime/fields/catalog.ts';
import type { FieldInfo, FieldType } from '../../runtime/fields/field-info.ts';
import { eventParamNamed } from '../../runtime/events/event-index.ts';

export class FieldError extends Error {}

export interface ResolvedField {
  field: FieldInfo;
  arg?: string;
  argIndex?: number;
  argFromSuffix: boolean;
  type: FieldType;
  isList: boolean;
}

function display(name: string, arg: string | undefined): string {
  return arg === undefined ? name : `${name}[${arg}]`;
}

/** Finds the catalog entry for a written field name and argument; throws FieldError. */
export function resolveField(name: string, bracketArg: string | undefined, catalog: FieldCatalog): ResolvedField {
  const nonexistent = () => new FieldError(`filter_check called with nonexistent field ${display(name, bracketArg)}`);
  let field = catalog.get(name);
  let arg = bracketArg;
  let argFromSuffix = false;
  if (!field) {
    // Dot-suffix arguments (evt.arg.NAME, thread.cgroup.SUBSYS): the longest known prefix that takes one.
    for (let i = name.lastIndexOf('.'); i > 0 && !field; i = name.lastIndexOf('.', i - 1)) {
      const prefix = catalog.get(name.slice(0, i));
      if (prefix && (prefix.argForm === 'suffix' || prefix.argForm === 'both')) {
        if (bracketArg !== undefined) throw nonexistent();
        field = prefix;
        arg = name.slice(i + 1);
        argFromSuffix = true;
      }
    }
    if (!field) throw nonexistent();
  }
  const out: ResolvedField = { field, argFromSuffix, type: field.type, isList: field.isList };
  if (arg === undefined) {
    if (field.arg === 'required') throw nonexistent();
    return out;
  }
  if (field.arg === 'none') throw nonexistent();
  // Bracket-only fields reject `.x`; suffix-only fields reject `[x]`; evt.arg takes [N] or .NAME.
  if (!argFromSuffix && field.argForm === 'suffix') throw nonexistent();
  if (argFromSuffix && (field.argForm === 'bracket' || field.argForm === undefined)) throw nonexistent();
  out.arg = arg;
  if (field.name === 'evt.arg' || field.name === 'evt.rawarg') {
    if (argFromSuffix) {
      const param = eventParamNamed(arg);
      if (!param) throw new FieldError(`unknown event argument ${arg}`);
      if (field.name === 'evt.rawarg') out.type = param.type as FieldType;
      return out;
    }
    if (!/^[0-9]+$/.test(arg)) throw nonexistent();
  }
  if (field.name === 'evt.abspath' && arg !== 'src' && arg !== 'dst') throw nonexistent();
  if (field.argKind === 'index' || (field.argKind === 'index|key' && /^[0-9]+$/.test(arg))) {
    if (!/^[0-9]+$/.test(arg)) {
      if (field.argKind === 'index') throw new FieldError(`${arg} is not a valid number`);
    } else out.argIndex = Number(arg);
  }
  return out;
}
