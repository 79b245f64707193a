// Rendering extracted values for alert outputs: as text (the output string) and as typed JSON
// (output_fields), with Falco's conventions: <NA> / null for missing values, numbers per the
// field's print format, lists in parentheses, IPv6 in RFC 5952 form.
import type { FieldType, PrintFormat } from '../fields/field-info.ts';
import type { Extracted, IpAddress, Value } from '../operators/values.ts';

export const NA = '<NA>';

export interface RenderInfo {
  type: FieldType;
  printFormat?: PrintFormat | undefined;
  isList: boolean;
}

/** RFC 5952: lowercase hex, leading zeros dropped, the longest run (≥ 2) of zero groups as `::`. */
export function ipv6Text(addr: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((addr[i]! << 8) | addr[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

export function ipText(ip: IpAddress): string {
  return ip.family === 4 ? Array.from(ip.addr).join('.') : ipv6Text(ip.addr);
}

function numberText(v: bigint, fmt: PrintFormat | undefined): string {
  switch (fmt) {
    case 'HEX':
      return (v < 0n ? BigInt.asUintN(64, v) : v).toString(16).toUpperCase();
    case 'OCT':
      return '0' + (v < 0n ? BigInt.asUintN(64, v) : v).toString(8);
    case '10_PADDED_DEC':
      return v.toString().padStart(9, '0');
    default:
      return v.toString();
  }
}

/** Bytes of a buffer as printable text: non-printable bytes become `.`. */
export function printableBuffer(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '.');
}

function oneText(v: Value, info: RenderInfo): string {
  if (typeof v === 'string') return info.type === 'BYTEBUF' ? printableBuffer(v) : v;
  if (typeof v === 'bigint') {
    if (info.type === 'DOUBLE') return Number(v).toFixed(1);
    return numberText(v, info.printFormat);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return info.type === 'IPNET' ? '<IPNET>' : ipText(v);
}

/** The text an output token shows. */
export function renderText(x: Extracted, info: RenderInfo): string {
  if (x === undefined) return NA;
  if (Array.isArray(x)) return `(${x.map((v) => oneText(v, info)).join(',')})`;
  return oneText(x as Value, info);
}

/** A typed JSON value (strings are text, not byte strings); bigints stay exact in toSortedJson. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [k: string]: JsonValue };

function oneJson(v: Value, info: RenderInfo): JsonValue {
  if (typeof v === 'string') return bytesToText(info.type === 'BYTEBUF' ? printableBuffer(v) : v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return v;
  return ipText(v);
}

export function renderJson(x: Extracted, info: RenderInfo): JsonValue {
  if (x === undefined) return null;
  if (Array.isArray(x)) return x.map((v) => oneJson(v, info));
  return oneJson(x as Value, info);
}

/** Byte string → UTF-8 text (invalid sequences become U+FFFD), for the final alert. */
export function bytesToText(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/** JSON text with object keys sorted (as Falco's JSON library prints) and bigints as exact numbers. */
export function toSortedJson(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toSortedJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${toSortedJson(v[k]!)}`).join(',')}}`;
}
