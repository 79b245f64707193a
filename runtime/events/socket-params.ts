// Decoding of the SOCKADDR and SOCKTUPLE event parameters. Layout: one family byte (ppm
// values: 1 unix, 2 inet, 10 inet6), then for inet `addr(4) port(2)`, for inet6 `addr(16)
// port(2)`, for unix a NUL-terminated path; a tuple holds source then destination (unix: two
// u64 kernel socket addresses, then the path). Ports are stored little-endian.

export const PPM_AF_UNIX = 1;
export const PPM_AF_INET = 2;
export const PPM_AF_INET6 = 10;

export interface InetEndpoint {
  family: 4 | 6;
  addr: Uint8Array;
  port: number;
}

export type DecodedTuple =
  | { kind: 'inet'; src: InetEndpoint; dst: InetEndpoint }
  | { kind: 'unix'; src: bigint; dst: bigint; path: string }
  | { kind: 'other'; family: number };

export type DecodedAddr = { kind: 'inet'; ep: InetEndpoint } | { kind: 'unix'; path: string } | { kind: 'other'; family: number };

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function isV4Mapped(a: Uint8Array): boolean {
  for (let i = 0; i < 12; i++) if (a[i] !== V4_MAPPED_PREFIX[i]) return false;
  return true;
}

/** An inet6 endpoint holding an IPv4-mapped address becomes the IPv4 endpoint (as libsinsp does). */
function endpoint(b: Uint8Array, at: number, size: 4 | 16): InetEndpoint {
  const addr = b.slice(at, at + size);
  const port = b[at + size]! | (b[at + size + 1]! << 8);
  if (size === 16 && isV4Mapped(addr)) return { family: 4, addr: addr.slice(12), port };
  return { family: size === 4 ? 4 : 6, addr, port };
}

/** The bytes of `b` from `at` up to the first NUL, as a byte string. */
export function cStringAt(b: Uint8Array, at: number): string {
  let end = at;
  while (end < b.length && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + at, end - at).toString('latin1');
}

function u64(b: Uint8Array, at: number): bigint {
  return new DataView(b.buffer, b.byteOffset + at, 8).getBigUint64(0, true);
}

/** Undefined when the parameter is empty or too short for its family. */
export function decodeTuple(b: Uint8Array): DecodedTuple | undefined {
  if (b.length === 0) return undefined;
  const family = b[0]!;
  if (family === PPM_AF_INET) {
    if (b.length < 13) return undefined;
    return { kind: 'inet', src: endpoint(b, 1, 4), dst: endpoint(b, 7, 4) };
  }
  if (family === PPM_AF_INET6) {
    if (b.length < 37) return undefined;
    return { kind: 'inet', src: endpoint(b, 1, 16), dst: endpoint(b, 19, 16) };
  }
  if (family === PPM_AF_UNIX) {
    if (b.length < 17) return undefined;
    return { kind: 'unix', src: u64(b, 1), dst: u64(b, 9), path: cStringAt(b, 17) };
  }
  return { kind: 'other', family };
}

export function decodeSockaddr(b: Uint8Array): DecodedAddr | undefined {
  if (b.length === 0) return undefined;
  const family = b[0]!;
  if (family === PPM_AF_INET) return b.length < 7 ? undefined : { kind: 'inet', ep: endpoint(b, 1, 4) };
  if (family === PPM_AF_INET6) return b.length < 19 ? undefined : { kind: 'inet', ep: endpoint(b, 1, 16) };
  if (family === PPM_AF_UNIX) return { kind: 'unix', path: cStringAt(b, 1) };
  return { kind: 'other', family };
}
