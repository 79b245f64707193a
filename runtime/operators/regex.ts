// The `regex` operator: RE2 (POSIX syntax) full-match semantics, run as a
// Pike-VM simulation of the Thompson NFA. Each subject rune is looked at once
// and each program instruction at most once per rune, so matching is linear
// in subject length times pattern size whatever the pattern; nothing
// backtracks.
//
// The subject is a byte string decoded as UTF-8 on the fly; every byte that
// is not part of a valid sequence reads as U+FFFD, which is what the engine
// sees after Falco sanitizes the value. NUL is an ordinary subject character
// here, as in RE2; libsinsp hands RE2 the value minus trailing NULs, so the
// caller strips those if its values carry a terminator.

import { parseRegex, RegexSyntaxError } from './regex-parse.ts';
import {
  OP_ANY_BUT_NL,
  OP_BEGIN_LINE,
  OP_CLASS,
  OP_END_LINE,
  OP_JMP,
  OP_MATCH,
  OP_RUNE,
  OP_SPLIT,
  compileProgram,
  type Program,
  type RuneClass,
} from './regex-program.ts';

export { RegexSyntaxError } from './regex-parse.ts';

export interface Regex {
  readonly source: string;
  /** True iff the whole subject matches. */
  matchFull(subject: string): boolean;
}

const REPLACEMENT = 0xfffd;
const NEWLINE = 0x0a;

// Byte length of the rune most recently returned by decodeAt; a module
// variable so that decoding allocates nothing.
let decodedLength = 1;

/** Strict UTF-8 decode at i (no overlongs, surrogates or values > U+10FFFF). */
function decodeAt(s: string, i: number): number {
  const b0 = s.charCodeAt(i);
  decodedLength = 1;
  if (b0 < 0x80) return b0;
  const n = s.length - i;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    if (n < 2) return REPLACEMENT;
    const b1 = s.charCodeAt(i + 1);
    if ((b1 & 0xc0) !== 0x80) return REPLACEMENT;
    decodedLength = 2;
    return ((b0 & 0x1f) << 6) | (b1 & 0x3f);
  }
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (n < 3) return REPLACEMENT;
    const b1 = s.charCodeAt(i + 1);
    const b2 = s.charCodeAt(i + 2);
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    if (b1 < lo || b1 > hi || (b2 & 0xc0) !== 0x80) return REPLACEMENT;
    decodedLength = 3;
    return ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (n < 4) return REPLACEMENT;
    const b1 = s.charCodeAt(i + 1);
    const b2 = s.charCodeAt(i + 2);
    const b3 = s.charCodeAt(i + 3);
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return REPLACEMENT;
    decodedLength = 4;
    return ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
  }
  return REPLACEMENT;
}

function classHas(cls: RuneClass, r: number): boolean {
  if (r < 0x80) return cls.ascii[r] === 1;
  const ranges = cls.ranges;
  // Binary search over the [lo, hi] pairs.
  let lo = 0;
  let hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (r < ranges[2 * mid]!) hi = mid - 1;
    else if (r > ranges[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A set of program counters with O(1) insert, lookup and clear. */
class ThreadSet {
  readonly dense: Int32Array;
  readonly sparse: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.dense = new Int32Array(capacity);
    this.sparse = new Int32Array(capacity);
  }

  has(pc: number): boolean {
    const k = this.sparse[pc]!;
    return k < this.size && this.dense[k] === pc;
  }

  add(pc: number): void {
    this.sparse[pc] = this.size;
    this.dense[this.size++] = pc;
  }
}

class PikeRegex implements Regex {
  private readonly op: Uint8Array;
  private readonly x: Int32Array;
  private readonly y: Int32Array;
  private readonly classes: readonly RuneClass[];
  // Scratch space reused by every call.
  private readonly current: ThreadSet;
  private readonly next: ThreadSet;
  private readonly stack: Int32Array;

  constructor(
    readonly source: string,
    prog: Program,
  ) {
    this.op = prog.op;
    this.x = prog.x;
    this.y = prog.y;
    this.classes = prog.classes;
    this.current = new ThreadSet(prog.length);
    this.next = new ThreadSet(prog.length);
    // Every instruction enters a set once and pushes at most two successors.
    this.stack = new Int32Array(2 * prog.length + 2);
  }

  /**
   * Adds pc and everything reachable from it without consuming input.
   * `lineStart`/`lineEnd` say whether ^ and $ hold at the current position.
   */
  private addThread(set: ThreadSet, pc: number, lineStart: boolean, lineEnd: boolean): void {
    const { op, x, y, stack } = this;
    let sp = 0;
    stack[sp++] = pc;
    while (sp > 0) {
      const p = stack[--sp]!;
      if (set.has(p)) continue;
      set.add(p);
      switch (op[p]) {
        case OP_JMP:
          stack[sp++] = x[p]!;
          break;
        case OP_SPLIT:
          stack[sp++] = y[p]!;
          stack[sp++] = x[p]!;
          break;
        case OP_BEGIN_LINE:
          if (lineStart) stack[sp++] = p + 1;
          break;
        case OP_END_LINE:
          if (lineEnd) stack[sp++] = p + 1;
          break;
      }
    }
  }

  matchFull(subject: string): boolean {
    const { op, x, classes } = this;
    const n = subject.length;
    let cur = this.current;
    let nxt = this.next;
    cur.size = 0;
    this.addThread(cur, 0, true, n === 0 || subject.charCodeAt(0) === NEWLINE);
    let i = 0;
    while (i < n) {
      if (cur.size === 0) return false;
      const r = decodeAt(subject, i);
      const after = i + decodedLength;
      const lineStart = r === NEWLINE;
      const lineEnd = after === n || subject.charCodeAt(after) === NEWLINE;
      nxt.size = 0;
      for (let k = 0; k < cur.size; k++) {
        const pc = cur.dense[k]!;
        let ok: boolean;
        switch (op[pc]) {
          case OP_RUNE:
            ok = x[pc] === r;
            break;
          case OP_ANY_BUT_NL:
            ok = r !== NEWLINE;
            break;
          case OP_CLASS:
            ok = classHas(classes[x[pc]!]!, r);
            break;
          default:
            ok = false;
        }
        if (ok) this.addThread(nxt, pc + 1, lineStart, lineEnd);
      }
      const t = cur;
      cur = nxt;
      nxt = t;
      i = after;
    }
    for (let k = 0; k < cur.size; k++) {
      if (op[cur.dense[k]!] === OP_MATCH) return true;
    }
    return false;
  }
}

/**
 * Compiles a `regex` operator pattern (byte string); throws RegexSyntaxError.
 * libsinsp passes the pattern to RE2 as a C string, so it ends at its first NUL.
 */
export function compileRegex(pattern: string): Regex {
  const nul = pattern.indexOf('\0');
  const text = nul < 0 ? pattern : pattern.slice(0, nul);
  try {
    return new PikeRegex(pattern, compileProgram(parseRegex(text)));
  } catch (e) {
    // Parsing and compiling recurse on nesting depth; RE2 does not, so a
    // pattern nested deeper than the JS stack allows is reported as too large.
    if (e instanceof RangeError) throw new RegexSyntaxError('pattern too large - compile failed');
    throw e;
  }
}
