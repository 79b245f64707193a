// Interface list blocks (0x205 and 0x8011ABCD; 0x219 = v2): the machine's IP addresses.
// Entries: `[v2: entry length u32, not counting itself] kind u16, name length u16`, then
// addr, netmask, bcast (4 bytes each for IPv4, 16 for IPv6, as stored in memory, i.e.
// network order), linkspeed u64 (absent in the *_NOLINKSPEED kinds 3 and 4), then the name.
import type { InterfaceRecord } from './capture-types.ts';
import { MAX_PATH_SIZE } from './block-types.ts';
import type { TableCursor } from './table-cursor.ts';
import type { ByteWriter } from './byte-writer.ts';

const IPV4 = 1;
const IPV6 = 2;
const IPV4_NOLINKSPEED = 3;
const IPV6_NOLINKSPEED = 4;

export function readInterfaceList(c: TableCursor, v2: boolean, emit: (i: InterfaceRecord) => void): void {
  while (c.remaining >= 4) {
    c.beginEntry();
    const entryLength = v2 ? c.u32('entry length') : 0;
    const bodyStart = c.pos;
    const kindAt = c.pos;
    const kind = c.u16('interface kind');
    const nameLength = c.u16('name length');
    if (nameLength >= MAX_PATH_SIZE) c.fail(`name length ${nameLength} is impossible (at most ${MAX_PATH_SIZE - 1})`, kindAt + 2);
    let family: 4 | 6;
    if (kind === IPV4 || kind === IPV4_NOLINKSPEED) family = 4;
    else if (kind === IPV6 || kind === IPV6_NOLINKSPEED) family = 6;
    else c.fail(`unknown interface kind ${kind}`, kindAt);
    const size = family === 4 ? 4 : 16;
    const addr = c.copy(size, 'address');
    const netmask = c.copy(size, 'netmask');
    const bcast = c.copy(size, 'broadcast address');
    const linkSpeed = kind === IPV4 || kind === IPV6 ? c.u64('link speed') : 0n;
    const name = c.latin1(nameLength, 'name');
    if (v2 && entryLength > 0) {
      const read = c.pos - bodyStart;
      if (read > entryLength) c.fail(`entry length ${entryLength} is shorter than the ${read} bytes of the entry`, c.entryStart);
      c.skip(entryLength - read, 'rest of the entry');
    }
    emit({ family, name, addr, netmask, bcast, linkSpeed });
  }
}

/** The body of a v2 interface list block, entries in the order given. */
export function writeInterfaceList(w: ByteWriter, interfaces: readonly InterfaceRecord[]): void {
  for (const i of interfaces) {
    const size = i.family === 4 ? 4 : 16;
    const name = i.name.slice(0, MAX_PATH_SIZE - 1);
    w.u32(2 + 2 + 3 * size + 8 + name.length);
    w.u16(i.family === 4 ? IPV4 : IPV6);
    w.u16(name.length);
    for (const a of [i.addr, i.netmask, i.bcast]) {
      w.bytes(a.subarray(0, size));
      if (a.length < size) w.zeros(size - a.length);
    }
    w.u64(i.linkSpeed);
    w.latin1(name);
  }
}
