// Which event codes a condition can match, computed as Falco computes it: from `evt.type` /
// `syscall.type` (and the always-true/never-true `evt.num` checks), with negations pushed to the
// leaves. A wrong set means missed or extra alerts (rules are indexed by it), so this follows
// Falco's rules exactly, quirks included (see the generic-syscall note in codesOfNames).
import type { Expr, Operand, RightHand } from '../parse/ast.ts';
import { splitModifier } from '../parse/ast.ts';
import {
  ASYNCEVENT_CODE, EVENT_CODE_COUNT, GENERIC_ENTER, GENERIC_EXIT, eventCodesOf, eventName, isSyscallName,
} from '../../runtime/events/event-index.ts';

export class EventTypeError extends Error {
  constructor(message: string, readonly node: { start: number; end: number }) {
    super(message);
  }
}

/** The too-many-event-types warning fires above this many codes. */
export const MAX_EVENT_CODES_BEFORE_WARNING = 100;

const ALL: ReadonlySet<number> = new Set(Array.from({ length: EVENT_CODE_COUNT }, (_, i) => i));
const EVENT_TYPE_FIELDS = new Set(['evt.type', 'syscall.type']);

export function allEventCodes(): ReadonlySet<number> {
  return ALL;
}

/**
 * Event codes for names. A name that is a dedicated event maps to all its codes; any other
 * syscall name maps to the generic event (codes 0/1), so `evt.type = readlink` registers the rule
 * for every generic syscall and `evt.type != readlink` removes all of them.
 */
export function codesOfNames(names: readonly string[], asyncNames?: ReadonlySet<string>): Set<number> {
  const out = new Set<number>();
  let generic = false;
  for (const n of names) {
    const codes = eventCodesOf(n).filter((c) => c >= 2);
    if (codes.length > 0) for (const c of codes) out.add(c);
    else if (asyncNames?.has(n)) out.add(ASYNCEVENT_CODE);
    else if (isSyscallName(n)) generic = true;
  }
  if (generic) {
    out.add(GENERIC_ENTER);
    out.add(GENERIC_EXIT);
  }
  return out;
}

/** Event code sets as bitsets: the visitor combines hundreds of them per rule. */
const WORDS = Math.ceil(EVENT_CODE_COUNT / 32);
type Bits = Uint32Array;
const toBits = (s: ReadonlySet<number>): Bits => {
  const b = new Uint32Array(WORDS);
  for (const c of s) b[c >>> 5]! |= 1 << (c & 31);
  return b;
};
const ALL_BITS = toBits(ALL);
const complement = (a: Bits): Bits => a.map((w, i) => ~w & ALL_BITS[i]!);
const intersect = (a: Bits, b: Bits): Bits => a.map((w, i) => w & b[i]!);
const union = (a: Bits, b: Bits): Bits => a.map((w, i) => w | b[i]!);
const fromBits = (b: Bits): Set<number> => {
  const out = new Set<number>();
  for (let c = 0; c < EVENT_CODE_COUNT; c++) if (b[c >>> 5]! & (1 << (c & 31))) out.add(c);
  return out;
};

function mentionsEventType(o: Operand | RightHand): boolean {
  if (o.kind === 'field') return EVENT_TYPE_FIELDS.has(o.name);
  if (o.kind === 'transformer') return o.args.some((a) => (a.kind === 'transformer_list' ? a.items.some(mentionsEventType) : mentionsEventType(a)));
  return false;
}

interface Leaf {
  codes: Bits;
  /** Neutral leaves (no restriction) are never complemented by a negation. */
  hasCodes: boolean;
  /** `!=`: complemented once more after negation handling. */
  notEquals?: boolean;
}

const NEUTRAL: Leaf = { codes: ALL_BITS, hasCodes: false };

/** evt.num counts from 1: a check that can never (or always) hold restricts to nothing (or all). */
function eventNumberLeaf(op: string, values: readonly string[]): Leaf {
  const nums: bigint[] = [];
  for (const v of values) {
    if (!/^[0-9]+$/.test(v)) return NEUTRAL; // negative (wraps), hex, fractional: indeterminate
    nums.push(BigInt(v));
  }
  const n = nums[0];
  const never = { codes: new Uint32Array(WORDS), hasCodes: true };
  const always = { codes: ALL_BITS, hasCodes: true };
  switch (op) {
    case '=':
    case '==':
      return n === 0n ? never : NEUTRAL;
    case '!=':
      return n === 0n ? always : NEUTRAL;
    case '<':
      return n !== undefined && n <= 1n ? never : NEUTRAL;
    case '<=':
      return n === 0n ? never : NEUTRAL;
    case '>':
      return n === 0n ? always : NEUTRAL;
    case '>=':
      return n !== undefined && n <= 1n ? always : NEUTRAL;
    case 'in':
      return nums.every((x) => x === 0n) ? never : NEUTRAL;
    default:
      return NEUTRAL;
  }
}

function leaf(e: Expr, asyncNames?: ReadonlySet<string>): Leaf {
  if (e.kind !== 'unary' && e.kind !== 'binary') return NEUTRAL;
  if (e.left.kind === 'transformer') {
    if (mentionsEventType(e.left)) throw new EventTypeError('event code search does not support `evt.type` checks with transformers', e);
    return NEUTRAL;
  }
  const field = e.left;
  if (e.kind === 'unary') return EVENT_TYPE_FIELDS.has(field.name) && field.arg === undefined ? { codes: ALL_BITS, hasCodes: true } : NEUTRAL;
  const { base, modifier } = splitModifier(e.op);
  if (field.arg !== undefined || modifier !== undefined) return NEUTRAL;
  const right = e.right;
  const values = right.kind === 'list' ? right.values : right.kind === 'value' ? [right.value] : [];
  if (field.name === 'evt.num') return right.kind === 'transformer' ? NEUTRAL : eventNumberLeaf(base, values);
  if (!EVENT_TYPE_FIELDS.has(field.name)) return NEUTRAL;
  if (base !== '=' && base !== '==' && base !== '!=' && base !== 'in') return NEUTRAL;
  if (right.kind === 'transformer') {
    throw new EventTypeError('right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported by event code search', e);
  }
  return { codes: toBits(codesOfNames(values, asyncNames)), hasCodes: true, notEquals: base === '!=' };
}

/** The set of event codes the (macro-expanded) condition can match. */
export function conditionEventCodes(e: Expr, asyncNames?: ReadonlySet<string>): Set<number> {
  const visit = (n: Expr, negated: boolean): Bits => {
    switch (n.kind) {
      case 'and':
      case 'or': {
        const intersection = (n.kind === 'and') !== negated;
        return n.children.map((c) => visit(c, negated)).reduce((a, b) => (intersection ? intersect(a, b) : union(a, b)));
      }
      case 'not':
        return visit(n.child, !negated);
      default: {
        const l = leaf(n, asyncNames);
        if (!l.hasCodes) return l.codes;
        let codes = negated ? complement(l.codes) : l.codes;
        if (l.notEquals) codes = complement(codes);
        return codes;
      }
    }
  };
  return fromBits(visit(e, false));
}

/** Event names of a code set, for display ("all", or the names, or "all except …"). */
export function describeEventCodes(codes: ReadonlySet<number>): { all: boolean; names: string[]; except: string[] } {
  const names = (s: Iterable<number>) => [...new Set([...s].map(eventName))].filter((n) => n !== 'NA').sort();
  if (codes.size === ALL.size) return { all: true, names: [], except: [] };
  if (codes.size > ALL.size / 2) return { all: true, names: [], except: names([...ALL].filter((c) => !codes.has(c))) };
  return { all: false, names: names(codes), except: [] };
}
