// Operator semantics (condition-grammar.md §4): a check compiled once into a predicate over
// the left extraction (and, for val()/right-hand transformers, the right one). A missing value
// makes every operator false; list fields are `in` a set when all their values are, and
// `intersect` it when any is; modifiers apply the base operator per right-hand element.
import type { FieldType } from '../fields/field-info.ts';
import type { Constant, Extracted, IpAddress, Value } from './values.ts';
import { inNetwork, isIp, sameAddress, valueText } from './values.ts';
import { contains, cString, endsWith, icontains, icontainsConstant, startsWith, bcontains, bstartswith, bendswith } from './strings.ts';
import { compileGlob } from './glob.ts';
import { compileRegex } from './regex.ts';
import { PathPrefixSet } from './pmatch.ts';

export interface CheckSpec {
  /** Base operator (no modifier). */
  op: string;
  modifier?: 'oneof' | 'anyof' | 'allof';
  /** Type and list-ness of the left side after transformers. */
  type: FieldType;
  isList: boolean;
  /** Right-hand constants (absent for exists and field comparisons). */
  values?: readonly Constant[];
  /** fd.ip, fd.port, fd.proto, fd.net: the left extraction is both endpoints of the socket. */
  bothEndpoints?: boolean;
  /** proc.aname and kin without an index (and proc.aenv): true when any ancestor's value passes. */
  anyValue?: boolean;
}

export type CheckPredicate = (left: Extracted, right?: Extracted) => boolean;

const STRINGS = new Set<FieldType>(['CHARBUF', 'FSPATH', 'FSRELPATH']);

/** One right-hand element, prepared for fast comparison. */
type Rhs = string | bigint | boolean | IpAddress | { net: Constant & { kind: 'net' } };

function prepare(c: Constant): Rhs {
  switch (c.kind) {
    case 'bytes':
      return c.value;
    case 'int':
      return c.value;
    case 'bool':
      return c.value;
    case 'ip':
      return { family: c.family, addr: c.addr };
    case 'net':
      return { net: c };
  }
}

function fromValue(v: Value): Rhs {
  return v;
}

/** Binary comparison of one left value with one right element, for a non-list operator. */
function scalarOp(op: string, type: FieldType): (l: Value, r: Rhs) => boolean {
  const str = STRINGS.has(type);
  const eq = (l: Value, r: Rhs): boolean => {
    if (typeof r === 'object' && 'net' in r) return isIp(l) && inNetwork(l, r.net);
    if (isIp(l)) return typeof r === 'object' && sameAddress(l, r as IpAddress);
    if (typeof l === 'string' && typeof r === 'string') return str ? cString(l) === cString(r) : l === r;
    return l === r;
  };
  const order = (l: Value, r: Rhs): number => {
    if (typeof l === 'bigint' && typeof r === 'bigint') return l < r ? -1 : l > r ? 1 : 0;
    const a = cString(valueText(l));
    const b = cString(typeof r === 'string' ? r : String(r));
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const text = (f: (a: string, b: string) => boolean) => (l: Value, r: Rhs) => typeof l === 'string' && typeof r === 'string' && f(l, r);
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return eq;
    case '!=':
      return (l, r) => !eq(l, r);
    case '<':
      return (l, r) => order(l, r) < 0;
    case '<=':
      return (l, r) => order(l, r) <= 0;
    case '>':
      return (l, r) => order(l, r) > 0;
    case '>=':
      return (l, r) => order(l, r) >= 0;
    case 'contains':
      return text(str ? contains : bcontains);
    case 'icontains':
      return text(icontains);
    case 'startswith':
      return text(str ? startsWith : bstartswith);
    case 'endswith':
      return text(str ? endsWith : bendswith);
    case 'bcontains':
      return text(bcontains);
    case 'bstartswith':
      return text(bstartswith);
    default:
      throw new Error(`operator ${op} has no element comparison`);
  }
}

/** Pattern operators compile their right side once. */
function patternOp(op: string, pattern: string): (l: Value) => boolean {
  switch (op) {
    case 'glob':
    case 'iglob': {
      const g = compileGlob(pattern, op === 'iglob');
      return (l) => typeof l === 'string' && g(l);
    }
    case 'regex': {
      const re = compileRegex(pattern);
      // libsinsp gives RE2 the value without its trailing NULs.
      return (l) => typeof l === 'string' && re.matchFull(l.replace(/\0+$/, ''));
    }
    default:
      throw new Error(`not a pattern operator: ${op}`);
  }
}

/** left OP r for one right element, with the base operator's semantics. */
function elementTest(op: string, type: FieldType, r: Rhs): (l: Value) => boolean {
  if (op === 'glob' || op === 'iglob' || op === 'regex') return patternOp(op, r as string);
  if (op === 'icontains' && typeof r === 'string') {
    const test = icontainsConstant(r);
    return (l) => typeof l === 'string' && test(l);
  }
  const f = scalarOp(op, type);
  return (l) => f(l, r);
}

/** A predicate over one left value against the whole right side. */
function valuePredicate(spec: CheckSpec, rhs: readonly Rhs[]): (l: Value) => boolean {
  const { op, modifier, type } = spec;
  if (modifier) {
    const tests = rhs.map((r) => elementTest(op, type, r));
    if (tests.length === 0) return () => false;
    if (modifier === 'anyof') return (l) => tests.some((t) => t(l));
    if (modifier === 'allof') return (l) => tests.every((t) => t(l));
    return (l) => {
      let n = 0;
      for (const t of tests) if (t(l) && ++n > 1) return false;
      return n === 1;
    };
  }
  if (op === 'pmatch') {
    const set = new PathPrefixSet(rhs.map((r) => r as string));
    return (l) => typeof l === 'string' && set.matches(l);
  }
  if (op === 'in' || op === 'intersects') {
    const simple = rhs.every((r) => typeof r !== 'object');
    if (simple) {
      const set = new Set(rhs.map((r) => (typeof r === 'string' && STRINGS.has(type) ? cString(r) : r)));
      return (l) => set.has(typeof l === 'string' && STRINGS.has(type) ? cString(l) : (l as string | bigint | boolean));
    }
    const eq = scalarOp('=', type);
    return (l) => rhs.some((r) => eq(l, r));
  }
  if (rhs.length !== 1) throw new Error(`operator ${op} takes one value`);
  return elementTest(op, type, rhs[0]!);
}

function asArray(x: Extracted): readonly Value[] {
  return Array.isArray(x) ? x : [x as Value];
}

export function compileCheck(spec: CheckSpec): CheckPredicate {
  if (spec.op === 'exists') return (left) => left !== undefined;
  const listOp = spec.op === 'in' || spec.op === 'intersects';
  // A list field is `in` the set when all its values are, `intersects` when any is.
  const combine = (test: (l: Value) => boolean) => (left: Extracted): boolean => {
    if (left === undefined) return false;
    if (spec.anyValue) return asArray(left).some(test);
    if (spec.bothEndpoints) {
      const ends = asArray(left);
      return spec.op === '!=' ? ends.length > 0 && ends.every(test) : ends.some(test);
    }
    if (spec.isList || Array.isArray(left)) {
      const vs = asArray(left);
      return spec.op === 'in' ? vs.every(test) : listOp ? vs.some(test) : vs.length > 0 && test(vs[0]!);
    }
    return test(left as Value);
  };
  if (spec.values) {
    const test = valuePredicate(spec, spec.values.map(prepare));
    return combine(test);
  }
  // val() or a right-hand transformer: the right side is only known per event.
  return (left, right) => {
    if (right === undefined) return false;
    return combine(valuePredicate(spec, asArray(right).map(fromValue)))(left);
  };
}
