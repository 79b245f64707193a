// Which operators a field type accepts (applied to the type after transformers), with
// libsinsp's messages (including its typos, which users' tooling may match on).
import type { FieldType } from '../../runtime/fields/field-info.ts';
import { STRING_TYPES } from './values.ts';

const NUMERIC_TYPES = new Set<FieldType>([
  'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'ERRNO', 'FD', 'FD32', 'PID', 'PID32',
  'SYSCALLID', 'SIGTYPE', 'RELTIME', 'ABSTIME', 'PORT', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'ENUMFLAGS8', 'ENUMFLAGS16',
  'ENUMFLAGS32', 'MODE', 'DOUBLE',
]);
const IP_TYPES = new Set<FieldType>(['IPADDR', 'IPNET', 'IPV4ADDR', 'IPV4NET', 'IPV6ADDR', 'IPV6NET']);
const LIST_ELEMENT_TYPES = new Set<FieldType>(['CHARBUF', 'UINT64', 'RELTIME', 'ABSTIME', 'BOOL', 'IPADDR', 'IPNET']);

const NUMERIC_OPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects']);
const BOOL_OPS = new Set(['=', '==', '!=', 'in', 'intersects']);
const BUFFER_OPS = new Set(['=', '==', '!=', 'contains', 'in', 'startswith', 'endswith', 'intersects', 'bcontains', 'bstartswith']);
const IP_OPS = new Set(['=', '==', '!=', 'in', 'intersects']);

export const MODIFIABLE_OPS = new Set([
  '=', '==', '!=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'regex',
]);

export function isNumericType(t: FieldType): boolean {
  return NUMERIC_TYPES.has(t);
}
export function isIpType(t: FieldType): boolean {
  return IP_TYPES.has(t);
}

/** The error for `op` on a value of this type, or null when allowed. `op` has no modifier. */
export function operatorError(type: FieldType, isList: boolean, op: string, modifier?: string): string | null {
  if (op === 'exists') return null;
  const shown = modifier ? `${op} ${modifier}` : op;
  if (isList) {
    if (!LIST_ELEMENT_TYPES.has(type)) return `filter error: list filters are not supported for type '${type}'`;
    if (modifier || (op !== 'in' && op !== 'intersects')) return `filter error: '${shown}' operator not supported list filters`;
    return null;
  }
  if (NUMERIC_TYPES.has(type)) {
    return NUMERIC_OPS.has(op) ? null : `filter error: '${shown}' operator not supported for numeric filters`;
  }
  if (type === 'BOOL') return BOOL_OPS.has(op) ? null : `filter error: '${shown}' operator not supported for numeric filters`;
  if (STRING_TYPES.has(type)) {
    return op === 'bcontains' || op === 'bstartswith' ? `filter error: '${shown}' operator not supported for string filters` : null;
  }
  if (type === 'BYTEBUF') return BUFFER_OPS.has(op) ? null : `filter error: '${shown}' operator not supported for buffer filters`;
  if (IP_TYPES.has(type)) {
    if (IP_OPS.has(op)) return null;
    return modifier
      ? `filter error: '${shown}' with modifier not supported for ip address and network filters`
      : `filter error: '${op}' operator not supported for ip address and network filters`;
  }
  return `filter error: '${shown}' operator not supported for type '${type}'`;
}
