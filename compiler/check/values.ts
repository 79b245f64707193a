// Right-hand constants parsed for the type they are compared with, as libsinsp's value parser
// does at filter compile time (same acceptance, same messages).
import type { FieldType } from '../../runtime/fields/field-info.ts';
import type { Constant } from './typed.ts';
import { servicePort } from './services.ts';
import { parseHexBytes } from '../../runtime/operators/strings.ts';

export class ValueError extends Error {}

const SIGNED = new Set<FieldType>(['INT8', 'INT16', 'INT32', 'INT64', 'ERRNO', 'FD', 'PID']);
const UNSIGNED = new Set<FieldType>([
  'UINT8', 'UINT16', 'UINT32', 'UINT64', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'ENUMFLAGS8', 'ENUMFLAGS16',
  'ENUMFLAGS32', 'MODE', 'UID', 'GID', 'RELTIME', 'ABSTIME', 'SYSCALLID', 'SIGTYPE',
]);
export const STRING_TYPES = new Set<FieldType>(['CHARBUF', 'FSPATH', 'FSRELPATH']);

/** Longest constant libsinsp stores (its value buffer is 256 bytes). */
export const MAX_VALUE_BYTES = 256;

const U64 = (1n << 64n) - 1n;
const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

// sscanf("%ld%c") semantics: leading white space, optional sign, digits, nothing after.
const INTEGER = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/;

export function parseSigned(text: string): bigint {
  const m = INTEGER.exec(text);
  if (!m) throw new ValueError(`${text} is not a valid number`);
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  return v > I64_MAX ? I64_MAX : v < I64_MIN ? I64_MIN : v;
}

export function parseUnsigned(text: string): bigint {
  const m = INTEGER.exec(text);
  if (!m) throw new ValueError(`${text} is not a valid number`);
  let v = BigInt(m[2]!);
  if (v > U64) v = U64;
  // strtoul: a leading minus negates in the unsigned domain.
  return m[1] === '-' ? (U64 + 1n - v) & U64 : v;
}

export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** inet_pton(AF_INET6): hex groups, one `::`, optional trailing dotted quad. */
export function parseIPv6(text: string): Uint8Array | null {
  if (text.length === 0 || /[^0-9a-fA-F:.]/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return null;
  const all = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function parseNet(text: string): Constant {
  const slash = text.indexOf('/');
  if (slash < 0) throw new ValueError(`unrecognized IP network ${text}`);
  const addrText = text.slice(0, slash);
  const lenText = text.slice(slash + 1);
  const v4 = addrText.includes('.') && !addrText.includes(':');
  const addr = v4 ? parseIPv4(addrText) : parseIPv6(addrText);
  if (!addr) throw new ValueError(`unrecognized IP network ${text}`);
  const max = v4 ? 32 : 128;
  if (!/^[0-9]+$/.test(lenText) || Number(lenText) > max) throw new ValueError(`invalid netmask ${lenText}`);
  return { kind: 'net', family: v4 ? 4 : 6, addr, prefix: Number(lenText) };
}

/** Parses one right-hand constant (a byte string) for a field of type `type`. */
export function parseConstant(text: string, type: FieldType): Constant {
  if (SIGNED.has(type)) return { kind: 'int', value: parseSigned(text) };
  if (UNSIGNED.has(type)) return { kind: 'int', value: parseUnsigned(text) };
  switch (type) {
    case 'DOUBLE': {
      // libsinsp reads double constants as 32-bit integers.
      const v = parseSigned(text);
      return { kind: 'int', value: BigInt.asIntN(32, v) };
    }
    case 'PORT': {
      if (/^[0-9]+$/.test(text)) return { kind: 'int', value: BigInt.asUintN(16, BigInt(text)) };
      const port = servicePort(text);
      if (port === undefined) throw new ValueError(`unrecognized protocol ${text}`);
      return { kind: 'int', value: BigInt(port) };
    }
    case 'BOOL':
      if (text === 'true') return { kind: 'bool', value: true };
      if (text === 'false') return { kind: 'bool', value: false };
      throw new ValueError(`filter error: unrecognized boolean value ${text}`);
    case 'IPADDR':
    case 'IPV4ADDR':
    case 'IPV6ADDR': {
      if (text.includes('.') && type !== 'IPV6ADDR') {
        const a = parseIPv4(text);
        if (!a) throw new ValueError(`unrecognized IPv4 address ${text}`);
        return { kind: 'ip', family: 4, addr: a };
      }
      const a = parseIPv6(text);
      if (!a) throw new ValueError(`unrecognized IPv6 address ${text}`);
      return { kind: 'ip', family: 6, addr: a };
    }
    case 'IPNET':
    case 'IPV4NET':
    case 'IPV6NET':
      return parseNet(text);
    case 'BYTEBUF':
      if (text.length > MAX_VALUE_BYTES) throw new ValueError('filter parameter too long (byte buf)');
      return { kind: 'bytes', value: text };
    default:
      if (text.length > MAX_VALUE_BYTES) throw new ValueError(`filter parameter too long:${text}`);
      if (text.includes('\0')) throw new ValueError('filter error: filter value cannot contain a NUL byte (\\x00)');
      return { kind: 'bytes', value: text };
  }
}

/** Hex text of bcontains/bstartswith → bytes. */
export function parseHexConstant(text: string): Constant {
  const bytes = parseHexBytes(text);
  if (bytes === null) throw new ValueError('filter error: bcontains and bstartswith operator support hex strings only');
  return { kind: 'bytes', value: bytes };
}
