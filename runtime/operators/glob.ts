// Shell-style wildcard matching with the behaviour of glibc fnmatch() in the
// C locale, flags 0 (glob) or FNM_CASEFOLD (iglob). Works on bytes.
//
// The pattern is compiled into a flat list of one-byte elements (literal,
// `?`, bracket set) and stars. Because every non-star element consumes exactly
// one byte, a greedy matcher that only remembers the most recent star is exact
// and runs in O(pattern × subject), so hostile patterns cannot blow up.

import { compileBracket } from './glob-bracket.ts';

const OP_STAR = 0;
const OP_ANY = 1;
const OP_BYTE = 2;
const OP_SET = 3;
// Matches nothing: glibc returns "no match" as soon as it reaches such an
// element (trailing backslash, bad character-class name, ...).
const OP_NEVER = 4;

function isUpper(b: number): boolean {
  return b >= 0x41 && b <= 0x5a;
}

const FOLD_NONE = new Uint8Array(256).map((_, i) => i);
const FOLD_LOWER = new Uint8Array(256).map((_, i) => (isUpper(i) ? i + 0x20 : i));

/**
 * Compiles a glob for the `glob` (caseFold false) or `iglob` (caseFold true)
 * operator. Pattern and subject are C strings: both end at their first NUL.
 */
export function compileGlob(pattern: string, caseFold: boolean): (subject: string) => boolean {
  const nul = pattern.indexOf('\0');
  const pat = nul < 0 ? pattern : pattern.slice(0, nul);
  const fold = caseFold ? FOLD_LOWER : FOLD_NONE;
  const ops: number[] = [];
  const args: number[] = [];
  const sets: Uint8Array[] = [];
  let p = 0;
  while (p < pat.length) {
    const c = pat.charCodeAt(p);
    if (c === 0x2a) {
      if (ops[ops.length - 1] !== OP_STAR) {
        ops.push(OP_STAR);
        args.push(0);
      }
      p++;
    } else if (c === 0x3f) {
      ops.push(OP_ANY);
      args.push(0);
      p++;
    } else if (c === 0x5c) {
      if (p + 1 >= pat.length) {
        ops.push(OP_NEVER);
        args.push(0);
        break;
      }
      ops.push(OP_BYTE);
      args.push(fold[pat.charCodeAt(p + 1)]!);
      p += 2;
    } else if (c === 0x5b) {
      const bracket = compileBracket(pat, p, fold);
      if (bracket === null) {
        ops.push(OP_BYTE);
        args.push(0x5b);
        p++;
        continue;
      }
      ops.push(OP_SET);
      args.push(sets.length);
      sets.push(bracket.table);
      p = bracket.next;
    } else {
      ops.push(OP_BYTE);
      args.push(fold[c]!);
      p++;
    }
  }
  return makeMatcher(Uint8Array.from(ops), Int32Array.from(args), sets, fold);
}

function makeMatcher(
  ops: Uint8Array,
  args: Int32Array,
  sets: readonly Uint8Array[],
  fold: Uint8Array,
): (subject: string) => boolean {
  const m = ops.length;
  return (subject: string): boolean => {
    const nul = subject.indexOf('\0');
    const n = nul < 0 ? subject.length : nul;
    let pi = 0;
    let si = 0;
    // The most recent star and the subject index its current attempt began at.
    let starP = -1;
    let starS = 0;
    while (si < n) {
      if (pi < m) {
        const op = ops[pi]!;
        if (op === OP_STAR) {
          starP = pi++;
          starS = si;
          continue;
        }
        const b = subject.charCodeAt(si);
        let ok: boolean;
        if (op === OP_ANY) ok = true;
        else if (op === OP_BYTE) ok = fold[b] === args[pi];
        else if (op === OP_SET) ok = sets[args[pi]!]![b] === 1;
        else ok = false;
        if (ok) {
          pi++;
          si++;
          continue;
        }
      }
      if (starP < 0) return false;
      // Let the star swallow one more byte and retry what follows it.
      pi = starP + 1;
      si = ++starS;
    }
    while (pi < m && ops[pi] === OP_STAR) pi++;
    return pi === m;
  };
}
