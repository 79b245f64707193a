// "did you mean …?" for misspelled fields, macros and the like.

/** Optimal-string-alignment edit distance, abandoned early once above `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate closest to `name`, if it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(1, Math.min(3, Math.floor(name.length / 4)));
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    const d = distance(name, c, max);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/**
 * Up to `limit` candidates worth suggesting for `name`, best first: likely typos (by edit
 * distance), then candidates containing every word of `name` (case-insensitive).
 */
export function nearest(name: string, candidates: readonly string[], limit = 3): string[] {
  const max = Math.max(1, Math.min(3, Math.floor(name.length / 4)));
  const lower = name.toLowerCase();
  const scored = candidates
    .map((c) => ({ c, d: distance(lower, c.toLowerCase(), max) }))
    .filter((x) => x.d <= max)
    .sort((a, b) => a.d - b.d);
  const out = scored.map((x) => x.c);
  const words = lower.split(/\s+/).filter(Boolean);
  if (words.length) {
    for (const c of candidates) {
      const l = c.toLowerCase();
      if (!out.includes(c) && words.every((w) => l.includes(w))) out.push(c);
    }
  }
  return out.slice(0, limit);
}
