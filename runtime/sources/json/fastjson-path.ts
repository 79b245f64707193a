// Member lookups the way valyala/fastjson's Value.Get walks a document, which the json and
// github plugins use: an object gives its first member of that name, an array takes the key as
// a Go strconv.Atoi index (sign and leading zeros allowed), anything else has no members.
import type { JsonNode } from '../json-doc.ts';

const GO_INT = /^[+-]?\d+$/;

/** fastjson's Value.Get(keys...): undefined when any step is missing. */
export function fastjsonGet(node: JsonNode | undefined, ...keys: readonly string[]): JsonNode | undefined {
  let cur = node;
  for (const key of keys) {
    if (cur === undefined) return undefined;
    if (cur.k === 'obj') {
      const at = cur.keys.indexOf(key);
      cur = at < 0 ? undefined : cur.vals[at];
    } else if (cur.k === 'arr') {
      // Atoi fails beyond int64, which is past any array's end anyway.
      const n = GO_INT.test(key) ? Number(key) : -1;
      cur = n >= 0 && n < cur.items.length ? cur.items[n] : undefined;
    } else return undefined;
  }
  return cur;
}

/** fastjson's GetStringBytes: the string, or undefined (nil) for a missing or non-string value. */
export function fastjsonString(node: JsonNode | undefined, ...keys: readonly string[]): string | undefined {
  const v = fastjsonGet(node, ...keys);
  return v?.k === 'str' ? v.v : undefined;
}

/** fastjson's GetArray: the items, or undefined (nil) for a missing or non-array value. */
export function fastjsonArray(node: JsonNode | undefined, ...keys: readonly string[]): readonly JsonNode[] | undefined {
  const v = fastjsonGet(node, ...keys);
  return v?.k === 'arr' ? v.items : undefined;
}

const U64_MAX = (1n << 64n) - 1n;

/** fastjson's GetUint64: a number written as plain decimal digits within uint64, else 0. */
export function fastjsonUint64(node: JsonNode | undefined, ...keys: readonly string[]): bigint {
  const v = fastjsonGet(node, ...keys);
  if (v?.k !== 'num' || !/^\d+$/.test(v.raw)) return 0n;
  const n = BigInt(v.raw);
  return n > U64_MAX ? 0n : n;
}

/** fastjson's GetBool: true only for a JSON true. */
export function fastjsonBool(node: JsonNode | undefined, ...keys: readonly string[]): boolean {
  const v = fastjsonGet(node, ...keys);
  return v?.k === 'bool' && v.v;
}
