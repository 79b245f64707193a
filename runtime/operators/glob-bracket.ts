// Bracket expressions of glibc fnmatch() in the C locale: `[abc]`, ranges,
// `!`/`^` negation, `[:class:]`, and the one-character `[=c=]` / `[.c.]`.
//
// glibc evaluates a bracket lazily for each subject byte and has a few odd
// corners (a bad class name only fails once reached, a range with no end
// never matches, `[:` without a valid name is plain text). Simulating that
// walk once per possible byte value gives an exact 256-entry table.

const EOS = -1;

// glibc sizes its class-name buffer with CHARCLASS_NAME_MAX.
const CLASS_NAME_MAX = 2048;

const CLASSES: Readonly<Record<string, (b: number) => boolean>> = {
  alnum: (b) => isDigit(b) || isUpper(b) || isLower(b),
  alpha: (b) => isUpper(b) || isLower(b),
  blank: (b) => b === 0x20 || b === 0x09,
  cntrl: (b) => b < 0x20 || b === 0x7f,
  digit: isDigit,
  graph: (b) => b > 0x20 && b < 0x7f,
  lower: isLower,
  print: (b) => b >= 0x20 && b < 0x7f,
  punct: (b) => b > 0x20 && b < 0x7f && !isDigit(b) && !isUpper(b) && !isLower(b),
  space: (b) => b === 0x20 || (b >= 0x09 && b <= 0x0d),
  upper: isUpper,
  xdigit: (b) => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66),
};

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}
function isUpper(b: number): boolean {
  return b >= 0x41 && b <= 0x5a;
}
function isLower(b: number): boolean {
  return b >= 0x61 && b <= 0x7a;
}

/** One thing a bracket expression can hold, in pattern order. */
type BracketItem =
  | { kind: 'byte'; c: number; after: number } // compared with the folded subject byte
  | { kind: 'raw'; c: number; after: number } // [=c=] / [.c.]: compared unfolded
  | { kind: 'range'; lo: number; hi: number; after: number }
  | { kind: 'class'; test: (b: number) => boolean; after: number }
  | { kind: 'fail' };

interface BracketScan {
  negated: boolean;
  items: BracketItem[];
  /** 'closed': `end` is just past `]`; 'open': no `]`, so `[` is literal; 'fail': scan hit a no-match point. */
  outcome: 'closed' | 'open' | 'fail';
  end: number;
}

/**
 * Reads a bracket expression the way glibc walks it when the subject byte has
 * not matched yet (that walk visits every item). `start` is the `[`.
 */
function scanBracket(pat: string, start: number, fold: Uint8Array): BracketScan {
  const at = (i: number): number => (i < pat.length ? pat.charCodeAt(i) : EOS);
  let p = start + 1;
  const negated = at(p) === 0x21 || at(p) === 0x5e; // ! or ^
  if (negated) p++;
  const items: BracketItem[] = [];
  const failed = (): BracketScan => {
    items.push({ kind: 'fail' });
    return { negated, items, outcome: 'fail', end: -1 };
  };
  /** `[.c.]` whose first `.` is at `dot`: its one character and where scanning resumes; null if malformed. */
  const collatingSymbol = (dot: number): { c: number; next: number } | null => {
    let q = dot;
    let len = 0;
    for (;;) {
      const d = at(++q);
      if (d === 0x2e && at(q + 1) === 0x5d) break;
      if (d === EOS) return null;
      len++;
    }
    return len === 1 ? { c: at(dot + 1), next: q + 2 } : null;
  };
  let c = at(p++);
  for (;;) {
    // `single`: c is one ordinary member still to be recorded. `rangeable`:
    // the member just read (ordinary or [.c.], held in `cold`) may start a range.
    let single = false;
    let rangeable = false;
    let cold = 0;
    if (c === 0x5c) {
      if (at(p) === EOS) return failed();
      c = fold[at(p)]!;
      p++;
      single = true;
    } else if (c === 0x5b && at(p) === 0x3a) {
      // [:name:]
      const startp = p;
      let name = '';
      let isName = true;
      for (;;) {
        if (name.length === CLASS_NAME_MAX) return failed();
        const d = at(++p);
        if (d === 0x3a && at(p + 1) === 0x5d) {
          p += 2;
          break;
        }
        // glibc's test is `c < 'a' || c >= 'z'`, so a 'z' also ends the name.
        if (d < 0x61 || d >= 0x7a) {
          isName = false;
          break;
        }
        name += String.fromCharCode(d);
      }
      if (isName) {
        const test = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
        if (test === undefined) return failed();
        items.push({ kind: 'class', test, after: p });
        c = at(p++);
      } else {
        p = startp;
        c = 0x5b;
        single = true;
      }
    } else if (c === 0x5b && at(p) === 0x3d) {
      // [=c=]: in the C locale only the character itself.
      const startp = p;
      const ch = at(p + 1);
      if (ch !== EOS && at(p + 2) === 0x3d && at(p + 3) === 0x5d) {
        p += 4;
        items.push({ kind: 'raw', c: ch, after: p });
        c = at(p++);
      } else {
        p = startp;
        c = 0x5b;
        single = true;
      }
    } else if (c === EOS) {
      return { negated, items, outcome: 'open', end: -1 };
    } else if (c === 0x5b && at(p) === 0x2e) {
      // [.c.]: only one-character collating symbols exist in the C locale.
      const symbol = collatingSymbol(p);
      if (!symbol) return failed();
      p = symbol.next;
      // glibc's range test here lacks the `]` check of the ordinary case.
      const isRange = at(p) === 0x2d && at(p + 1) !== EOS;
      cold = symbol.c;
      if (!isRange) items.push({ kind: 'raw', c: cold, after: p });
      rangeable = true;
      c = at(p++);
    } else {
      c = fold[c]!;
      single = true;
    }
    if (single) {
      const isRange = at(p) === 0x2d && at(p + 1) !== EOS && at(p + 1) !== 0x5d;
      if (!isRange) items.push({ kind: 'byte', c, after: p });
      cold = c;
      rangeable = true;
      c = at(p++);
    }
    if (rangeable && c === 0x2d && at(p) !== 0x5d) {
      let cend = at(p++);
      if (cend === 0x5b && at(p) === 0x2e) {
        const symbol = collatingSymbol(p);
        if (!symbol) return failed();
        p = symbol.next;
        cend = symbol.c;
      } else {
        if (cend === 0x5c) cend = at(p++);
        if (cend === EOS) return failed();
        cend = fold[cend]!;
      }
      items.push({ kind: 'range', lo: cold, hi: cend, after: p });
      c = at(p++);
    }
    if (c === 0x5d) return { negated, items, outcome: 'closed', end: p };
  }
}

/**
 * Where glibc resumes the pattern after a bracket member matched: it skips the
 * rest of the expression with slightly different rules than the full scan.
 * Returns the index just past `]`, or -1 when glibc gives up (no match).
 */
function skipBracketRest(pat: string, from: number): number {
  const at = (i: number): number => (i < pat.length ? pat.charCodeAt(i) : EOS);
  let p = from;
  let c: number;
  do {
    c = at(p++);
    if (c === EOS) return -1;
    if (c === 0x5c) {
      if (at(p) === EOS) return -1;
      p++;
    } else if (c === 0x5b && at(p) === 0x3a) {
      const startp = p;
      let len = 0;
      let isName = true;
      for (;;) {
        const d = at(++p);
        if (++len === CLASS_NAME_MAX) return -1;
        if (at(p) === 0x3a && at(p + 1) === 0x5d) break;
        if (d < 0x61 || d >= 0x7a) {
          isName = false;
          break;
        }
      }
      if (isName) {
        p += 2;
        c = at(p++);
      } else {
        p = startp;
      }
    } else if (c === 0x5b && at(p) === 0x3d) {
      if (at(++p) === EOS) return -1;
      c = at(++p);
      if (c !== 0x3d || at(p + 1) !== 0x5d) return -1;
      p += 2;
      c = at(p++);
    } else if (c === 0x5b && at(p) === 0x2e) {
      ++p;
      for (;;) {
        if (at(++p) === EOS) return -1;
        if (at(p) === 0x2e && at(p + 1) === 0x5d) break;
      }
      p += 2;
      c = at(p++);
    }
  } while (c !== 0x5d);
  return p;
}

/**
 * Compiles the bracket expression starting at `start` (a `[`) into a table
 * indexed by the raw subject byte, plus the pattern index just past it.
 * Null when the `[` is unterminated: fnmatch then takes it as a literal `[`.
 * `fold` maps a byte to what it is compared as (identity, or ASCII lowercase).
 */
export function compileBracket(
  pat: string,
  start: number,
  fold: Uint8Array,
): { table: Uint8Array; next: number } | null {
  const scan = scanBracket(pat, start, fold);
  if (scan.outcome === 'open') return null;
  const ends = scan.items.map((it) => (it.kind === 'fail' ? -1 : skipBracketRest(pat, it.after)));
  // Every byte must resume at one place; in well-formed brackets all members
  // resume at the closing `]`. A member that would resume elsewhere (only in
  // malformed [= / [. sequences) is treated as not matching.
  let next = scan.outcome === 'closed' ? scan.end : -1;
  if (next < 0) next = ends.find((e) => e >= 0) ?? pat.length;
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    const fb = fold[b]!;
    // Falling off the end means "no member matched", which only a closed
    // bracket can report (a failed scan always ends in a 'fail' item).
    let result = scan.negated;
    for (let k = 0; k < scan.items.length; k++) {
      const it = scan.items[k]!;
      if (it.kind === 'fail') {
        result = false;
        break;
      }
      const hit =
        it.kind === 'byte'
          ? it.c === fb
          : it.kind === 'raw'
            ? it.c === b
            : it.kind === 'range'
              ? it.lo <= fb && fb <= it.hi
              : it.test(b);
      if (hit) {
        result = !scan.negated && ends[k] === next;
        break;
      }
    }
    table[b] = result ? 1 : 0;
  }
  return { table, next };
}

