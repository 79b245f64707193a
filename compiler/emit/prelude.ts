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
const ewC = (v: V, l: string): boolean => typeof v === "string" && v.endsWith(l);
const ctC = (v: V, l: string): boolean => typeof v === "string" && v.includes(l);
const neI = (v: V, c: bigint): boolean => v !== undefined && v !== c;
const neB = (v: V, c: boolean): boolean => v !== undefined && v !== c;
const ltI = (v: V, c: bigint, p: P): boolean => (typeof v === "bigint" ? v < c : p(v));
const leI = (v: V, c: bigint, p: P): boolean => (typeof v === "bigint" ? v <= c : p(v));
const gtI = (v: V, c: bigint, p: P): boolean => (typeof v === "bigint" ? v > c : p(v));
const geI = (v: V, c: bigint, p: P): boolean => (typeof v === "bigint" ? v >= c : p(v));
`;
