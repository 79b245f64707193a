// How a typed check maps to the operator implementation's CheckSpec. Shared by the reference
// interpreter, the planner's constant folding and compiled evaluators, so all three apply one
// set of operator semantics.
import type { TypedCheck } from '../../compiler/check/typed.ts';
import type { CheckSpec } from '../operators/compare.ts';

/** Filter-only fields that test both endpoints of a socket. */
const BOTH_ENDPOINTS = new Set(['fd.ip', 'fd.port', 'fd.proto', 'fd.net']);

/** Ancestor fields that, without an index, match when any ancestor does. */
const ANY_ANCESTOR = new Set(['proc.aname', 'proc.aexe', 'proc.aexepath', 'proc.acmdline', 'proc.apid']);

export function checkSpecOf(c: TypedCheck): CheckSpec {
  const field = c.left.kind === 'field' ? c.left : undefined;
  return {
    op: c.op,
    type: c.left.type,
    isList: c.left.isList,
    ...(c.modifier ? { modifier: c.modifier } : {}),
    ...(c.values ? { values: c.values } : {}),
    bothEndpoints: field !== undefined && BOTH_ENDPOINTS.has(field.field.name),
    anyValue:
      field !== undefined &&
      (ANY_ANCESTOR.has(field.field.name)
        ? field.argIndex === undefined
        : field.field.name === 'proc.aenv' && (field.arg === undefined || field.argIndex !== undefined)),
  };
}
