// Helpers every generated evaluator starts with. They restate, for the inlined shapes only, the
// semantics of runtime/operators/compare.ts: CHARBUF-like strings compare as C strings (cut at
// the first NUL; right-hand constants arrive already cut), a missing value fails every check,
// integers are bigints. Small enough for V8 to inline at each call site. A constant never holds a
// NUL, so a match found in the raw value stands for its C string whenever no NUL comes before
// it: the common case never cuts (or copies) the value.
export const PRELUDE = `type V = unknown;
type P = (l: V, r?: V) => boolean;
const cs = (s: string): string => {
  const i = s.indexOf("\\x00");
  return i < 0 ? s : s.slice(0, i);
};
const eqS = (v: V, l: string): boolean =>
  v === l || (typeof v === "string" && v.length > l.length && v.charCodeAt(l.length) === 0 && v.startsWith(l));
const neS = (v: V, l: string): boolean => v !== undefined && !eqS(v, l);
const inS = (v: V, s: Set<unknown>): boolean => s.has(v) || (typeof v === "string" && v.indexOf("\\x00") >= 0 && s.has(cs(v)));
const swS = (v: V, l: string): boolean => typeof v === "string" && v.startsWith(l);
const ewS = (v: V, l: string): boolean => {
  if (typeof v !== "string") return false;
  const z = v.indexOf("\\x00");
  return z < 0 ? v.endsWith(l) : v.slice(0, z).endsWith(l);
};
const ctS = (v: V, l: string): boolean => {
  if (typeof v !== "string") return false;
  const i = v.indexOf(l);
  return i >= 0 && (i === 0 || v.lastIndexOf("\\x00", i - 1) < 0);
};
// Over values already cut at their first NUL (see cut-operands.ts).
const neC = (v: V, l: string): boolean => v !== undefined && v !== l;
const hasL = (v: V, s: Set<unknown>, l: Uint8Array): boolean => typeof v === "string" && v.length < l.length && l[v.length] === 1 && s.has(v);
const lenSet = (ls: number[]): Uint8Array => {
  const t = new Uint8Array(ls[ls.length - 1]! + 1);
  for (const n of ls) t[n] = 1;
  return t;
};
const ewC = (v: V, l: string): boolean => typeof v === "string" && v.endsWith(l);
const ctC = (v: V, l: string): boolean => typeof v === "string" && v.includes(l);
// Which of a list of literals a C string starts with, found by one walk of a trie instead of
// one startsWith per literal: walk() returns the row of the longest literal the value starts
// with, and a[row + k] is 1 when literal k is a prefix of that one (row 0: none matched).
class PrefixIndex {
  readonly a: Uint8Array;
  private readonly cls = new Uint8Array(256);
  private readonly next: Int32Array;
  private readonly term: Int32Array;
  private readonly w: number;
  private readonly n: number;
  constructor(lits: string[]) {
    const n = lits.length;
    let w = 1;
    for (const l of lits) for (let i = 0; i < l.length; i++) if (this.cls[l.charCodeAt(i)] === 0) this.cls[l.charCodeAt(i)] = w++;
    const next: number[] = new Array(w).fill(0);
    const term: number[] = [0];
    lits.forEach((l, k) => {
      let node = 0;
      for (let i = 0; i < l.length; i++) {
        const at = node * w + this.cls[l.charCodeAt(i)]!;
        if (next[at] === 0) {
          next[at] = term.length;
          term.push(0);
          for (let j = 0; j < w; j++) next.push(0);
        }
        node = next[at]!;
      }
      term[node] = k + 1;
    });
    this.a = new Uint8Array((n + 1) * n);
    lits.forEach((l, d) => lits.forEach((p, k) => { if (l.startsWith(p)) this.a[(d + 1) * n + k] = 1; }));
    this.next = Int32Array.from(next);
    this.term = Int32Array.from(term);
    this.w = w;
    this.n = n;
  }
  walk(v: V): number {
    if (typeof v !== "string") return 0;
    const cls = this.cls;
    const next = this.next;
    const term = this.term;
    const w = this.w;
    let node = 0;
    let best = term[0]!;
    for (let i = 0; i < v.length; i++) {
      const k = cls[v.charCodeAt(i)];
      if (k === undefined || k === 0) break;
      node = next[node * w + k]!;
      if (node === 0) break;
      if (term[node] !== 0) best = term[node]!;
    }
    return best * this.n;
  }
}
const neI = (v: V, c: bigint): boolean => v !== undefined && v !== c;
const neB = (v: V, c: boolean): boolean => v !== undefined && v !== c;
const ltI = (v: V, c: bigint, p: P): boolean => (typeof v === "bigint" ? v < c : p(v));
const leI = (v: V, c: bigint, p: P): boolean => (typeof v === "bigint" ? v <= c : p(v));
const gtI = (v: V, c: bigint, p: P): boolean => (typeof v === "bigint" ? v > c : p(v));
const geI = (v: V, c: bigint, p: P): boolean => (typeof v === "bigint" ? v >= c : p(v));
`;
