// Integer field values are bigints (runtime/operators/values.ts), and most are small: fds,
// pids, ports, uids, return values, counts. BigInt(n) allocates a new one on every call, so
// small values come from a table filled on first use (bigints are immutable: sharing is safe).

/** Table range: -4096 … 65535 (errno returns are ≥ -4095). */
const OFFSET = 4096;
const table: (bigint | undefined)[] = new Array<bigint | undefined>(OFFSET + 65536).fill(undefined);

/** BigInt(n) for an integer `n`, without allocating for small ones. */
export function bigintOf(n: number): bigint {
  const i = n + OFFSET;
  if ((n | 0) === n && i >= 0 && i < table.length) {
    let b = table[i];
    if (b === undefined) table[i] = b = BigInt(n);
    return b;
  }
  return BigInt(n);
}
