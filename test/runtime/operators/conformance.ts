// Loads the single-value operator cases of the shared conformance corpus
// (operators.yaml) as byte strings, for the operator tests in this folder.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { conformanceDir } from '../../paths.ts';

export interface OperatorCase {
  readonly id: string;
  /** Base operator, e.g. `regex` for `regex anyof`. */
  readonly op: string;
  readonly modifier: 'anyof' | 'allof' | 'oneof' | undefined;
  readonly fieldType: string;
  readonly lhs: string;
  /** One value, or the list for pmatch and modifiers. */
  readonly rhs: string | readonly string[];
  readonly expect: boolean;
}

interface RawCase {
  id: string;
  op?: string;
  field_type?: string;
  lhs?: unknown;
  lhs_hex?: string;
  rhs?: unknown;
  rhs_hex?: string;
  expect?: unknown;
  transformers?: unknown;
  rhs_field_values?: unknown;
  field_is_list?: unknown;
}

const CORPUS = resolve(conformanceDir, 'operators.yaml');

/** YAML text is Unicode; falcoc values are one char per UTF-8 byte. */
function bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function hexBytes(hex: string): string {
  return Buffer.from(hex, 'hex').toString('latin1');
}

/** Cases whose base operator is in `ops`, minus those needing more than one plain value. */
export function operatorCases(ops: readonly string[]): OperatorCase[] {
  const raw = parseYaml(readFileSync(CORPUS, 'utf8')) as RawCase[];
  const out: OperatorCase[] = [];
  for (const c of raw) {
    if (c.op === undefined || typeof c.expect !== 'boolean') continue;
    const [op = '', modifier] = c.op.split(' ');
    if (!ops.includes(op)) continue;
    if (c.transformers !== undefined || c.rhs_field_values !== undefined || c.field_is_list !== undefined) continue;
    let lhs: string;
    if (c.lhs_hex !== undefined) lhs = hexBytes(c.lhs_hex);
    else if (typeof c.lhs === 'string') lhs = bytes(c.lhs);
    else continue; // lhs: null, the field has no value
    let rhs: string | string[];
    if (c.rhs_hex !== undefined) rhs = hexBytes(c.rhs_hex);
    else if (Array.isArray(c.rhs)) rhs = c.rhs.map((v) => bytes(String(v)));
    else rhs = bytes(String(c.rhs));
    out.push({
      id: c.id,
      op,
      modifier: modifier as OperatorCase['modifier'],
      fieldType: c.field_type ?? '',
      lhs,
      rhs,
      expect: c.expect,
    });
  }
  return out;
}

/** Applies `check` per right-hand value with the case's modifier semantics. */
export function evaluate(c: OperatorCase, check: (lhs: string, rhs: string) => boolean): boolean {
  if (c.modifier === undefined) {
    if (typeof c.rhs !== 'string') throw new Error(`${c.id}: list without modifier`);
    return check(c.lhs, c.rhs);
  }
  const values = typeof c.rhs === 'string' ? [c.rhs] : c.rhs;
  const hits = values.filter((v) => check(c.lhs, v)).length;
  if (values.length === 0) return false;
  if (c.modifier === 'anyof') return hits > 0;
  if (c.modifier === 'allof') return hits === values.length;
  return hits === 1;
}
