// How fd names read (fd.name): `sip:sport->dip:dport` for IP sockets (IPv6 without brackets),
// `ip:port` for bound server sockets, `<src>-><dst> <path>` (lowercase hex kernel addresses)
// for unix sockets.
import { ipv6Text } from '../format/render.ts';
import type { InetEndpoint } from '../events/socket-params.ts';

export function ipAddrText(addr: Uint8Array): string {
  return addr.length === 4 ? `${addr[0]}.${addr[1]}.${addr[2]}.${addr[3]}` : ipv6Text(addr);
}

export function endpointText(addr: Uint8Array, port: number): string {
  return `${ipAddrText(addr)}:${port}`;
}

export function tupleName(sip: Uint8Array, sport: number, dip: Uint8Array, dport: number): string {
  return `${endpointText(sip, sport)}->${endpointText(dip, dport)}`;
}

export function endpointsName(src: InetEndpoint, dst: InetEndpoint): string {
  return tupleName(src.addr, src.port, dst.addr, dst.port);
}

export function unixName(src: bigint, dst: bigint, path: string): string {
  return `${src.toString(16)}->${dst.toString(16)} ${path}`;
}
