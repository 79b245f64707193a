// Socket fds at the start of a live run, as libscap reads them: /proc/<pid>/net's tcp, udp, raw
// (IPv4 and IPv6) and unix tables give each socket inode its addresses, ports and protocol, so
// a connection opened before falcoc started still reads `sip:sport->dip:dport` in fd.name.
// Tables are per network namespace, read once for each.
import { readlinkSync } from 'node:fs';
import { readProc } from './proc-read.ts';
import type { FdRecord } from '../capture/capture-types.ts';

/** What a socket table says of one inode: an FdRecord without its owner. */
export type SocketInfo = Omit<FdRecord, 'tid' | 'fd'>;

/** libscap's scap_l4_proto. */
const L4 = { tcp: 2, udp: 3, raw: 5 } as const;

/** An address as /proc/net prints it: 32-bit words in host (little-endian) order, in hex. */
function addrBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let w = 0; w < hex.length / 8; w++) {
    const v = Number.parseInt(hex.slice(w * 8, w * 8 + 8), 16);
    for (let b = 0; b < 4; b++) out[w * 4 + b] = (v >>> (8 * b)) & 0xff;
  }
  return out;
}

/** One tcp/udp/raw table (v4 or v6): a server socket when the far end is all zeros. */
export function parseInetTable(text: string, v6: boolean, l4proto: keyof typeof L4, into: Map<bigint, SocketInfo>): void {
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [local, remote, inode] = [f[1]!, f[2]!, f[9]!];
    const [lh, lp] = local.split(':');
    const [rh, rp] = remote.split(':');
    if (!lh || !lp || !rh || !rp || !/^\d+$/.test(inode)) continue;
    const sip = addrBytes(lh);
    const dip = addrBytes(rh);
    const sport = Number.parseInt(lp, 16);
    const dport = Number.parseInt(rp, 16);
    const ino = BigInt(inode);
    if (dip.every((b) => b === 0) && dport === 0) {
      into.set(ino, { ino, type: v6 ? 'ipv6_servsock' : 'ipv4_servsock', sip, sport, l4proto: L4[l4proto] });
    } else {
      into.set(ino, { ino, type: v6 ? 'ipv6_sock' : 'ipv4_sock', sip, dip, sport, dport, l4proto: L4[l4proto] });
    }
  }
}

/** The unix table: the socket's kernel address (Num) as the source, its path as the name. */
export function parseUnixTable(text: string, into: Map<bigint, SocketInfo>): void {
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7 || !/^\d+$/.test(f[6]!)) continue;
    const ino = BigInt(f[6]!);
    const num = /^[0-9a-fA-F]+/.exec(f[0]!)?.[0] ?? '0';
    into.set(ino, { ino, type: 'unix_sock', unixSource: BigInt('0x' + num), unixDest: 0n, name: f.slice(7).join(' ') });
  }
}

const TABLES: readonly [file: string, v6: boolean, proto: keyof typeof L4][] = [
  ['tcp', false, 'tcp'], ['tcp6', true, 'tcp'], ['udp', false, 'udp'], ['udp6', true, 'udp'], ['raw', false, 'raw'], ['raw6', true, 'raw'],
];

/** Socket tables by network namespace, read as processes ask for them. */
export class SocketTables {
  private readonly byNetns = new Map<string, Map<bigint, SocketInfo>>();

  /** What the tables of `pid`'s network namespace say of `inode` (undefined: not there, e.g. netlink). */
  lookup(pid: number, inode: bigint): SocketInfo | undefined {
    let netns: string;
    try {
      netns = readlinkSync(`/proc/${pid}/ns/net`);
    } catch {
      return undefined;
    }
    let table = this.byNetns.get(netns);
    if (!table) {
      table = new Map();
      for (const [file, v6, proto] of TABLES) {
        const text = readProc(`/proc/${pid}/net/${file}`);
        if (text) parseInetTable(text, v6, proto, table);
      }
      const unix = readProc(`/proc/${pid}/net/unix`);
      if (unix) parseUnixTable(unix, table);
      this.byNetns.set(netns, table);
    }
    return table.get(inode);
  }
}
