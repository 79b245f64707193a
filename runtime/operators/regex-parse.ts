// Parser for the `regex` operator: RE2 syntax as RE2 reads it with
// posix_syntax=true and the other options at their defaults (UTF-8, `.` not
// matching `\n`, `^`/`$` matching at line boundaries, no Perl extensions).
//
// The pattern arrives as a byte string and is decoded as UTF-8 while it is
// read. Error messages reproduce RE2's texts ("<what>: <offending text>"),
// with the offending text as bytes of the pattern.

export class RegexSyntaxError extends Error {
  override name = 'RegexSyntaxError';
}

export const MAX_RUNE = 0x10ffff;
/** RE2's cap on one counted repetition and on nested ones multiplied. */
export const MAX_REPEAT = 1000;

export type RegexNode =
  | { readonly kind: 'empty' }
  | { readonly kind: 'literal'; readonly rune: number }
  /** `ranges` holds sorted, disjoint, non-adjacent [lo, hi] pairs, flattened. */
  | { readonly kind: 'class'; readonly ranges: readonly number[] }
  | { readonly kind: 'beginLine' }
  | { readonly kind: 'endLine' }
  | { readonly kind: 'concat'; readonly subs: readonly RegexNode[] }
  | { readonly kind: 'alternate'; readonly subs: readonly RegexNode[] }
  | { readonly kind: 'star' | 'plus' | 'quest'; readonly sub: RegexNode }
  /** `max` is -1 for `{n,}`. */
  | { readonly kind: 'repeat'; readonly min: number; readonly max: number; readonly sub: RegexNode };

type UnaryKind = 'star' | 'plus' | 'quest';

// RE2's POSIX groups, positive forms; each also exists as `[:^name:]`.
const POSIX_GROUPS: Readonly<Record<string, readonly number[]>> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0x00, 0x7f],
  blank: [0x09, 0x09, 0x20, 0x20],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  digit: [0x30, 0x39],
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x09, 0x0d, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
};

/** `.`: every rune but newline. */
export const DOT_RANGES: readonly number[] = [0, 0x09, 0x0b, MAX_RUNE];

/** Sorts and merges [lo, hi] pairs into the canonical class form. */
export function normalizeRanges(pairs: readonly number[]): number[] {
  const list: [number, number][] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) list.push([pairs[i]!, pairs[i + 1]!]);
  list.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of list) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]! + 1) {
      if (hi > out[n - 1]!) out[n - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/** Complement of canonical ranges within 0..MAX_RUNE. */
export function negateRanges(ranges: readonly number[]): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    if (ranges[i]! > next) out.push(next, ranges[i]! - 1);
    next = ranges[i + 1]! + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

/**
 * Decodes one rune of the pattern the way RE2 does (overlong forms and values
 * above U+10FFFF are rejected; surrogate code points are accepted). Returns
 * [rune, byteLength], or null if the bytes are not UTF-8.
 */
function decodeRune(s: string, i: number): [number, number] | null {
  const n = s.length - i;
  if (n <= 0) return null;
  const b0 = s.charCodeAt(i);
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number): number => {
    const b = s.charCodeAt(i + k);
    return (b & 0xc0) === 0x80 ? b & 0x3f : -1;
  };
  let len: number;
  let r: number;
  let min: number;
  if (b0 < 0xc0) return null;
  else if (b0 < 0xe0) [len, r, min] = [2, b0 & 0x1f, 0x80];
  else if (b0 < 0xf0) [len, r, min] = [3, b0 & 0x0f, 0x800];
  else if (b0 < 0xf8) [len, r, min] = [4, b0 & 0x07, 0x10000];
  else return null;
  if (n < len) return null;
  for (let k = 1; k < len; k++) {
    const c = cont(k);
    if (c < 0) return null;
    r = (r << 6) | c;
  }
  if (r < min || r > MAX_RUNE) return null;
  return [r, len];
}

// \n \r \t \a \f \v. There is deliberately no \b: RE2 keeps it free for
// the Perl word boundary, which POSIX mode rejects.
const C_ESCAPES: Readonly<Record<number, number>> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x61: 0x07, 0x66: 0x0c, 0x76: 0x0b };

function isOctal(c: number): boolean {
  return c >= 0x30 && c <= 0x37;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Checks that nested counted repetitions do not multiply beyond MAX_REPEAT
 * copies of anything; 0 means they do (RE2 reports "invalid repetition size").
 */
function repeatBudget(node: RegexNode, budget: number): number {
  let arg = budget;
  if (node.kind === 'repeat') {
    const m = node.max < 0 ? node.min : node.max;
    if (m > 0) arg = Math.floor(arg / m);
  }
  let result = arg;
  if (node.kind === 'concat' || node.kind === 'alternate') {
    for (const sub of node.subs) result = Math.min(result, repeatBudget(sub, arg));
  } else if (node.kind === 'star' || node.kind === 'plus' || node.kind === 'quest' || node.kind === 'repeat') {
    result = Math.min(result, repeatBudget(node.sub, arg));
  }
  return result;
}

function concatOf(items: readonly RegexNode[]): RegexNode {
  if (items.length === 0) return { kind: 'empty' };
  if (items.length === 1) return items[0]!;
  return { kind: 'concat', subs: items };
}

function alternateOf(alternatives: readonly RegexNode[]): RegexNode {
  return alternatives.length === 1 ? alternatives[0]! : { kind: 'alternate', subs: alternatives };
}

interface Frame {
  readonly alternatives: RegexNode[];
  items: RegexNode[];
}

class Parser {
  private pos = 0;
  private readonly frames: Frame[] = [{ alternatives: [], items: [] }];
  /** Parentheses seen; RE2 spends two instructions on each capture. */
  groups = 0;

  constructor(private readonly src: string) {}

  private fail(what: string, arg = ''): never {
    throw new RegexSyntaxError(arg === '' ? what : `${what}: ${arg}`);
  }

  private code(i: number): number {
    return i < this.src.length ? this.src.charCodeAt(i) : -1;
  }

  private rune(i: number): [number, number] {
    return decodeRune(this.src, i) ?? this.fail('invalid UTF-8');
  }

  private get top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  parse(): RegexNode {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      switch (c) {
        case 0x28: // (
          this.groups++;
          this.frames.push({ alternatives: [], items: [] });
          this.pos++;
          break;
        case 0x7c: // |
          this.top.alternatives.push(concatOf(this.top.items));
          this.top.items = [];
          this.pos++;
          break;
        case 0x29: {
          // )
          if (this.frames.length === 1) this.fail('unexpected )', s);
          const node = this.finishFrame(this.frames.pop()!);
          this.top.items.push(node);
          this.pos++;
          break;
        }
        case 0x5e: // ^
          this.top.items.push({ kind: 'beginLine' });
          this.pos++;
          break;
        case 0x24: // $
          this.top.items.push({ kind: 'endLine' });
          this.pos++;
          break;
        case 0x2e: // .
          this.top.items.push({ kind: 'class', ranges: DOT_RANGES });
          this.pos++;
          break;
        case 0x5b: // [
          this.top.items.push(this.parseClass());
          break;
        case 0x2a: // *
        case 0x2b: // +
        case 0x3f: // ?
          this.pushUnary(c === 0x2a ? 'star' : c === 0x2b ? 'plus' : 'quest', s[this.pos]!);
          this.pos++;
          break;
        case 0x7b: {
          // {
          const rep = this.maybeRepetition();
          if (rep === null) {
            this.top.items.push({ kind: 'literal', rune: 0x7b });
            this.pos++;
          } else {
            this.pushRepetition(rep.min, rep.max, s.slice(this.pos, rep.end));
            this.pos = rep.end;
          }
          break;
        }
        case 0x5c: // backslash
          this.top.items.push({ kind: 'literal', rune: this.parseEscape() });
          break;
        default: {
          const [r, len] = this.rune(this.pos);
          this.top.items.push({ kind: 'literal', rune: r });
          this.pos += len;
        }
      }
    }
    if (this.frames.length > 1) this.fail('missing )', s);
    return this.finishFrame(this.frames.pop()!);
  }

  private finishFrame(frame: Frame): RegexNode {
    return alternateOf([...frame.alternatives, concatOf(frame.items)]);
  }

  private pushUnary(kind: UnaryKind, opText: string): void {
    const items = this.top.items;
    const last = items[items.length - 1];
    if (last === undefined) this.fail('no argument for repetition operator', opText);
    // Without Perl syntax RE2 folds stacked operators instead of rejecting
    // them: `a**` is `a*`, and any mix such as `a+?` or `a*?` is `a*`.
    if (last.kind === kind) return;
    if (last.kind === 'star' || last.kind === 'plus' || last.kind === 'quest') {
      items[items.length - 1] = { kind: 'star', sub: last.sub };
      return;
    }
    items[items.length - 1] = { kind, sub: last };
  }

  private pushRepetition(min: number, max: number, opText: string): void {
    if ((max !== -1 && max < min) || min > MAX_REPEAT || max > MAX_REPEAT) {
      this.fail('invalid repetition size', opText);
    }
    const items = this.top.items;
    const last = items[items.length - 1];
    if (last === undefined) this.fail('no argument for repetition operator', opText);
    const node: RegexNode = { kind: 'repeat', min, max, sub: last };
    items[items.length - 1] = node;
    if ((min >= 2 || max >= 2) && repeatBudget(node, MAX_REPEAT) === 0) {
      this.fail('invalid repetition size', opText);
    }
  }

  /** `{n}`, `{n,}` or `{n,m}` at pos, else null (then `{` is a literal). */
  private maybeRepetition(): { min: number; max: number; end: number } | null {
    let p = this.pos + 1;
    const integer = (): number => {
      const start = p;
      const isDigit = (i: number): boolean => this.code(i) >= 0x30 && this.code(i) <= 0x39;
      if (!isDigit(p)) return -1;
      // No leading zeros.
      if (this.code(p) === 0x30 && isDigit(p + 1)) return -1;
      let n = 0;
      while (isDigit(p)) {
        if (n >= 100_000_000) return -1;
        n = n * 10 + this.code(p) - 0x30;
        p++;
      }
      return p > start ? n : -1;
    };
    const min = integer();
    if (min < 0) return null;
    let max = min;
    if (this.code(p) === 0x2c) {
      p++;
      if (this.code(p) === 0x7d) max = -1;
      else {
        max = integer();
        if (max < 0) return null;
      }
    }
    if (this.code(p) !== 0x7d) return null;
    return { min, max, end: p + 1 };
  }

  /** Reads an escape at pos (a backslash) and returns the rune it stands for. */
  private parseEscape(): number {
    const s = this.src;
    const begin = this.pos;
    if (begin + 1 >= s.length) this.fail('trailing \\');
    let p = begin + 1;
    const bad = (): never => this.fail('invalid escape sequence', s.slice(begin, p));
    const next = (): number => {
      const [r, len] = this.rune(p);
      p += len;
      return r;
    };
    const c = next();
    let rune: number;
    if (c >= 0x31 && c <= 0x37 && !isOctal(this.code(p))) {
      // \1-\7 alone would be a backreference.
      bad();
    }
    if (c >= 0x30 && c <= 0x37) {
      rune = c - 0x30;
      for (let k = 0; k < 2 && isOctal(this.code(p)); k++) rune = rune * 8 + this.code(p++) - 0x30;
    } else if (c === 0x78) {
      // \x
      if (p >= s.length) bad();
      let d = next();
      if (d === 0x7b) {
        d = next();
        let digits = 0;
        rune = 0;
        while (hexValue(d) >= 0) {
          digits++;
          rune = rune * 16 + hexValue(d);
          if (rune > MAX_RUNE) bad();
          if (p >= s.length) bad();
          d = next();
        }
        if (d !== 0x7d || digits === 0) bad();
      } else {
        if (p >= s.length) bad();
        const d2 = next();
        if (hexValue(d) < 0 || hexValue(d2) < 0) bad();
        rune = hexValue(d) * 16 + hexValue(d2);
      }
    } else {
      const mapped = C_ESCAPES[c];
      if (mapped !== undefined) rune = mapped;
      // Punctuation and other ASCII non-word characters stand for themselves
      // (including `\_`); letters and digits are reserved: \d \w \b \A \z ...
      else if (c < 0x80 && !isAsciiAlnum(c)) rune = c;
      else return bad();
    }
    this.pos = p;
    return rune;
  }

  /** Reads `[...]` at pos. */
  private parseClass(): RegexNode {
    const s = this.src;
    const whole = s.slice(this.pos);
    let p = this.pos + 1;
    let negated = false;
    if (this.code(p) === 0x5e) {
      p++;
      negated = true;
    }
    const pairs: number[] = [];
    const classChar = (): number => {
      if (p >= s.length) this.fail('missing ]', whole);
      if (this.code(p) === 0x5c) {
        this.pos = p;
        const r = this.parseEscape();
        p = this.pos;
        return r;
      }
      const [r, len] = this.rune(p);
      p += len;
      return r;
    };
    let first = true;
    while (p < s.length && (this.code(p) !== 0x5d || first)) {
      // An unescaped '-' is only allowed first or last.
      if (this.code(p) === 0x2d && !first && (p + 1 === s.length || this.code(p + 1) !== 0x5d)) {
        const [, len] = this.rune(p + 1);
        this.fail('invalid character class range', s.slice(p, p + 1 + len));
      }
      first = false;
      if (s.length - p > 2 && this.code(p) === 0x5b && this.code(p + 1) === 0x3a) {
        const named = this.namedClass(p);
        if (named !== null) {
          pairs.push(...named.ranges);
          p = named.end;
          continue;
        }
      }
      const start = p;
      const lo = classChar();
      let hi = lo;
      if (s.length - p >= 2 && this.code(p) === 0x2d && this.code(p + 1) !== 0x5d) {
        p++;
        hi = classChar();
        if (hi < lo) this.fail('invalid character class range', s.slice(start, p));
      }
      pairs.push(lo, hi);
    }
    if (p >= s.length) this.fail('missing ]', whole);
    this.pos = p + 1;
    const ranges = normalizeRanges(pairs);
    return { kind: 'class', ranges: negated ? negateRanges(ranges) : ranges };
  }

  /** `[:name:]` or `[:^name:]` at p; null if no `:]` follows at all. */
  private namedClass(p: number): { ranges: number[]; end: number } | null {
    const close = this.src.indexOf(':]', p + 2);
    if (close < 0) return null;
    const text = this.src.slice(p, close + 2);
    const inner = text.slice(2, -2);
    const negated = inner.startsWith('^');
    const name = negated ? inner.slice(1) : inner;
    const group = Object.hasOwn(POSIX_GROUPS, name) ? POSIX_GROUPS[name] : undefined;
    if (group === undefined) this.fail('invalid character class range', text);
    return { ranges: negated ? negateRanges(group) : [...group], end: close + 2 };
  }
}

export interface ParsedRegex {
  readonly root: RegexNode;
  /** Number of parenthesized groups (they only matter for size accounting). */
  readonly groups: number;
}

/** Parses a pattern (byte string). Throws RegexSyntaxError with RE2's message. */
export function parseRegex(pattern: string): ParsedRegex {
  const parser = new Parser(pattern);
  const root = parser.parse();
  return { root, groups: parser.groups };
}
