// One check as generated code. Common shapes (string equality, `in` sets, prefixes, integer
// comparisons, exists) are inlined over the operand's cached value with the helpers of
// prelude.ts; every other check calls a predicate the runtime builds once at load with the
// reference operator implementation, so rare operators cannot drift from the interpreter.
import type { Constant, TypedCheck } from '../check/typed.ts';
import type { CheckSpec } from '../../runtime/operators/compare.ts';
import { cString } from '../../runtime/operators/strings.ts';
import { bigintLiteral, stringLiteral } from './literal.ts';
import { cutSafe } from './cut-operands.ts';

const STRINGS = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH']);
const STRING_OPS: Readonly<Record<string, string>> = { '=': 'eqS', '==': 'eqS', '!=': 'neS', startswith: 'swS', endswith: 'ewS', contains: 'ctS' };
const CUT_OPS: Readonly<Record<string, string>> = { '!=': 'neC', endswith: 'ewC', contains: 'ctC' };
const INT_ORDER: Readonly<Record<string, string>> = { '<': 'ltI', '<=': 'leI', '>': 'gtI', '>=': 'geI' };

/** Declarations a check needs at load time (sets, predicates), named by the emitter. */
export interface CheckDecls {
  /** Name of a Set of these literal elements (deduplicated by the emitter). */
  set(elements: string[]): string;
  /** Name of a table of the lengths these strings have (a Uint8Array, 1 at each length). */
  lengths(lengths: number[]): string;
  /** Name of a runtime predicate for this spec. */
  predicate(spec: CheckSpec): string;
}

export function constantCode(c: Constant): string {
  switch (c.kind) {
    case 'bytes':
      return `{ kind: "bytes", value: ${stringLiteral(c.value)} }`;
    case 'int':
      return `{ kind: "int", value: ${bigintLiteral(c.value)} }`;
    case 'bool':
      return `{ kind: "bool", value: ${c.value} }`;
    case 'ip':
      return `{ kind: "ip", family: ${c.family}, addr: new Uint8Array([${Array.from(c.addr).join(', ')}]) }`;
    case 'net':
      return `{ kind: "net", family: ${c.family}, addr: new Uint8Array([${Array.from(c.addr).join(', ')}]), prefix: ${c.prefix} }`;
  }
}

export function specCode(s: CheckSpec): string {
  const parts = [`op: ${stringLiteral(s.op)}`, `type: ${stringLiteral(s.type)}`, `isList: ${s.isList}`];
  if (s.modifier) parts.push(`modifier: ${stringLiteral(s.modifier)}`);
  if (s.values) parts.push(`values: [${s.values.map(constantCode).join(', ')}]`);
  if (s.bothEndpoints) parts.push('bothEndpoints: true');
  if (s.anyValue) parts.push('anyValue: true');
  return `{ ${parts.join(', ')} }`;
}

/**
 * The check's code over `left` (and `right` for val()/transformer right sides): expressions
 * read once each. `cut`: the left value arrives already cut at its first NUL (cut-operands.ts).
 */
export function checkCode(
  c: TypedCheck, spec: CheckSpec, left: string, right: string | undefined, decls: CheckDecls, cut = false, startsWith = swS(left),
): string {
  const inline = inlineCheck(c, spec, left, decls, cut, startsWith);
  if (inline) return inline;
  const p = decls.predicate(spec);
  const prefix = globPrefix(c, spec);
  // A glob can only match values that start with its literal head: test that first (the
  // operand is cached, so reading it twice costs nothing) and call the matcher rarely.
  if (prefix) return `(${startsWith(prefix)} && ${p}(${left}))`;
  return right === undefined ? `${p}(${left})` : `${p}(${left}, ${right})`;
}

/** Code testing whether `left` starts with a literal (a C string); see PrefixIndex in prelude.ts. */
export type StartsWith = (literal: string) => string;
const swS = (left: string): StartsWith => (literal) => `swS(${left}, ${stringLiteral(literal)})`;

/**
 * The literal a check tests its cut left operand to start with, through `startsWith` (a
 * `startswith` or a glob's literal head); undefined for other checks.
 */
export function prefixLiteral(c: TypedCheck, spec: CheckSpec): string | undefined {
  if (!cutSafe(c)) return undefined;
  if (c.op === 'startswith' && !spec.modifier && c.values?.length === 1 && c.values[0]!.kind === 'bytes') return cString(c.values[0]!.value);
  return globPrefix(c, spec) || undefined;
}

/** The literal text a case-sensitive glob's matches all start with ('' when none or not applicable). */
export function globPrefix(c: TypedCheck, spec: CheckSpec): string {
  if (c.op !== 'glob' || c.rhs || spec.modifier || spec.isList || spec.bothEndpoints || spec.anyValue) return '';
  if (!STRINGS.has(spec.type) || c.values?.length !== 1 || c.values[0]!.kind !== 'bytes') return '';
  const pattern = cString(c.values[0]!.value);
  const end = pattern.search(/[*?[\\]/);
  return end < 0 ? pattern : pattern.slice(0, end);
}

/**
 * `in` over a cut string. A value seen for the first time (a path built for this event) is
 * hashed by its first Set lookup; when the set's strings have few distinct lengths, a length
 * table turns most misses into one load and spares the hash.
 */
function setCheck(lengths: number[], lits: string[], v: string, decls: CheckDecls): string {
  const set = decls.set(lits);
  const distinct = new Set(lengths);
  const max = Math.max(...lengths);
  if (distinct.size > SPARSE_LENGTHS * (max + 1)) return `${set}.has(${v})`;
  return `hasL(${v}, ${set}, ${decls.lengths([...distinct].sort((a, b) => a - b))})`;
}

/** Sets whose strings cover at most this share of the lengths 0…max get a length table. */
const SPARSE_LENGTHS = 0.6;

function inlineCheck(c: TypedCheck, spec: CheckSpec, v: string, decls: CheckDecls, cut: boolean, startsWith: StartsWith): string | undefined {
  if (c.rhs || spec.modifier || spec.isList || spec.bothEndpoints || spec.anyValue) return undefined;
  if (c.op === 'exists') return `(${v} !== undefined)`;
  const vals = c.values ?? [];
  if (vals.length === 0) return undefined;
  if (STRINGS.has(spec.type) && vals.every((x) => x.kind === 'bytes')) {
    const lits = vals.map((x) => stringLiteral(cString((x as { value: string }).value)));
    if (cut) {
      // Both sides are C strings already: plain comparisons.
      if (c.op === 'in' || c.op === 'intersects') return setCheck(vals.map((x) => cString((x as { value: string }).value).length), lits, v, decls);
      if (lits.length !== 1) return undefined;
      if (c.op === '=' || c.op === '==') return `(${v} === ${lits[0]})`;
      if (c.op === 'startswith') return startsWith(cString((vals[0] as { value: string }).value));
      const cutHelper = CUT_OPS[c.op];
      return cutHelper ? `${cutHelper}(${v}, ${lits[0]})` : undefined;
    }
    if (c.op === 'in' || c.op === 'intersects') return `inS(${v}, ${decls.set(lits)})`;
    const helper = STRING_OPS[c.op];
    if (helper && lits.length === 1) return `${helper}(${v}, ${lits[0]})`;
    return undefined;
  }
  if (vals.every((x) => x.kind === 'int')) {
    const lits = vals.map((x) => bigintLiteral((x as { value: bigint }).value));
    if (c.op === 'in' || c.op === 'intersects') return `${decls.set(lits)}.has(${v} as bigint)`;
    if (lits.length !== 1) return undefined;
    if (c.op === '=' || c.op === '==') return `(${v} === ${lits[0]})`;
    if (c.op === '!=') return `neI(${v}, ${lits[0]})`;
    const order = INT_ORDER[c.op];
    // A non-integer value (never expected) goes through the reference predicate.
    if (order) return `${order}(${v}, ${lits[0]}, ${decls.predicate(spec)})`;
    return undefined;
  }
  if (vals.length === 1 && vals[0]!.kind === 'bool') {
    const b = String(vals[0]!.value);
    if (c.op === '=' || c.op === '==') return `(${v} === ${b})`;
    if (c.op === '!=') return `neB(${v}, ${b})`;
  }
  return undefined;
}
