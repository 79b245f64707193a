// Field values given by conformance cases (YAML scalars and lists), as extractions the
// interpreter understands, and a FieldSource over a `fields` map.
import type { FieldType } from '../../runtime/fields/field-info.ts';
import type { Extracted, Value } from '../../runtime/operators/values.ts';
import type { FieldSource } from '../../runtime/interpreter/evaluate.ts';
import { printOperand } from '../parse/print.ts';
import { toByteString } from '../load/source-file.ts';
import { parseIPv4, parseIPv6 } from '../check/values.ts';
import { STRING_TYPES } from '../check/values.ts';

function one(v: unknown, type: FieldType): Value {
  if (STRING_TYPES.has(type) || type === 'BYTEBUF') return toByteString(String(v));
  if (type === 'BOOL') return v === true || v === 'true';
  if (type.startsWith('IP')) {
    const text = String(v);
    const addr = text.includes(':') ? parseIPv6(text) : parseIPv4(text);
    if (!addr) throw new Error(`bad address in case data: ${text}`);
    return { family: addr.length === 4 ? 4 : 6, addr };
  }
  return BigInt(v as number | string);
}

export function caseValue(v: unknown, type: FieldType): Extracted {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.map((x) => one(x, type));
  return one(v, type);
}

/** Values keyed by field as written (`proc.aname[2]`) or by bare name. */
export function mapFieldSource(fields: Record<string, unknown>): FieldSource {
  return {
    extract(f) {
      const key = printOperand(f.node) in fields ? printOperand(f.node) : f.field.name;
      return key in fields ? caseValue(fields[key], f.type) : undefined;
    },
  };
}
