// How values look to the operators: what a field extracts and what a rule compares it with.
// Strings are byte strings (one UTF-16 unit per byte); numbers are 64-bit, signed or unsigned
// per field type, as bigint; IP addresses keep their family.

export interface IpAddress {
  family: 4 | 6;
  addr: Uint8Array;
}

/** One extracted value. */
export type Value = string | bigint | boolean | IpAddress;

/** A field's extraction: one value, several (list fields, transformer lists), or none. */
export type Extracted = Value | readonly Value[] | undefined;

/** A right-hand constant, parsed at compile time for the type it is compared with. */
export type Constant =
  | { kind: 'bytes'; value: string } // CHARBUF/FSPATH/FSRELPATH/BYTEBUF text, or decoded hex for bcontains/bstartswith
  | { kind: 'int'; value: bigint }
  | { kind: 'bool'; value: boolean }
  | { kind: 'ip'; family: 4 | 6; addr: Uint8Array }
  | { kind: 'net'; family: 4 | 6; addr: Uint8Array; prefix: number };

export function isIp(v: Value): v is IpAddress {
  return typeof v === 'object';
}

export function sameAddress(a: IpAddress, b: { family: 4 | 6; addr: Uint8Array }): boolean {
  if (a.family !== b.family || a.addr.length !== b.addr.length) return false;
  for (let i = 0; i < a.addr.length; i++) if (a.addr[i] !== b.addr[i]) return false;
  return true;
}

export function inNetwork(a: IpAddress, net: { family: 4 | 6; addr: Uint8Array; prefix: number }): boolean {
  if (a.family !== net.family) return false;
  let bits = net.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((a.addr[i] ?? 0) & mask) !== ((net.addr[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** A value as the text transformers and joins see it. */
export function valueText(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v.family === 4) return Array.from(v.addr).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((v.addr[i]! << 8) | v.addr[i + 1]!).toString(16));
  return groups.join(':');
}
