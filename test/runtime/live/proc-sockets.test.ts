// Socket fds at the start of a live run: the /proc/net tables give each socket inode its
// addresses, and seeding names them as libsinsp does.
import { createServer, connect, type Socket } from 'node:net';
import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseInetTable, parseUnixTable, type SocketInfo } from '../../../runtime/live/proc-sockets.ts';
import { scanProc } from '../../../runtime/live/proc-scan.ts';
import { SystemState } from '../../../runtime/state/system-state.ts';
import type { FdRecord } from '../../../runtime/capture/capture-types.ts';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0000000000000000 100 0 0 10 0
   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2222 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3333 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:0050 0000000000000000FFFF00000200A8C0:D431 01 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 20 4 30 10 -1
`;
const UNIX = `Num       RefCount Protocol Flags    Type St Inode Path
ffff8880045c5c00: 00000002 00000000 00010000 0001 01 5555 /run/dbus/system_bus_socket
ffff8880045c6400: 00000003 00000000 00000000 0001 03 6666
`;

describe('socket tables', () => {
  const t = new Map<bigint, SocketInfo>();
  parseInetTable(TCP, false, 'tcp', t);
  parseInetTable(TCP6, true, 'tcp', t);
  parseUnixTable(UNIX, t);

  it('reads addresses in /proc/net order: host-order words, ports in hex', () => {
    expect(t.get(1111n)).toEqual({ ino: 1111n, type: 'ipv4_servsock', sip: Uint8Array.from([127, 0, 0, 1]), sport: 8080, l4proto: 2 });
    expect(t.get(2222n)).toMatchObject({ type: 'ipv4_sock', sip: Uint8Array.from([127, 0, 0, 1]), sport: 50000, dip: Uint8Array.from([127, 0, 0, 1]), dport: 8080, l4proto: 2 });
    const v6 = t.get(3333n)!;
    expect(v6.type).toBe('ipv6_servsock');
    expect([...v6.sip!]).toEqual([...new Array(15).fill(0), 1]); // ::1
    expect(t.get(5555n)).toEqual({ ino: 5555n, type: 'unix_sock', unixSource: 0xffff8880045c5c00n, unixDest: 0n, name: '/run/dbus/system_bus_socket' });
    expect(t.get(6666n)?.name).toBe('');
  });

  it('names seeded sockets as libsinsp does (IPv4-mapped IPv6 as IPv4; TCP connected)', () => {
    const state = new SystemState();
    const me = BigInt(process.pid);
    state.seedThread(scanProc().threads.find((r) => r.tid === me)!); // a real record to hang fds on
    const fd = (n: number, ino: bigint): FdRecord => ({ ...t.get(ino)!, tid: me, fd: BigInt(n) });
    for (const [n, ino] of [[3, 1111n], [4, 2222n], [5, 4444n], [6, 5555n], [7, 6666n]] as const) state.seedFd(fd(n, ino));
    const table = state.threads.get(process.pid)!.fds;
    expect(table.get(3)).toMatchObject({ name: '127.0.0.1:8080', role: 'server', l4proto: 'tcp' });
    expect(table.get(4)).toMatchObject({ name: '127.0.0.1:50000->127.0.0.1:8080', connected: true, l4proto: 'tcp' });
    expect(table.get(5)).toMatchObject({ type: 'ipv4_sock', name: '127.0.0.1:80->192.168.0.2:54321' });
    expect(table.get(6)).toMatchObject({ name: '/run/dbus/system_bus_socket', role: 'server' });
    expect(table.get(7)).toMatchObject({ name: '', role: 'client' });
  });
});

describe('the /proc scan', () => {
  const open: Socket[] = [];
  const server = createServer((s) => open.push(s));
  afterAll(() => {
    for (const s of open) s.destroy();
    server.close();
  });

  it('marks exes writable as the driver does at exec (owner, mode bits, or overriding capability)', () => {
    const snap = scanProc();
    const me = snap.threads.find((t) => t.tid === BigInt(process.pid))!;
    const owner = statSync(process.execPath).uid === process.getuid!();
    expect(me.exeWritable).toBe(owner || process.getuid!() === 0);
    expect(snap.threads.find((t) => t.tid === 2n)?.exeWritable ?? false).toBe(false); // kthreadd: no exe
  });

  it('finds this process’s listening and connected TCP sockets with their addresses', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const client = connect(port, '127.0.0.1');
    open.push(client);
    await new Promise((r) => client.on('connect', r));
    const snap = scanProc();
    const mine = snap.fds.filter((f) => f.tid === BigInt(process.pid));
    expect(mine.find((f) => f.type === 'ipv4_servsock' && f.sport === port)).toMatchObject({ sip: Uint8Array.from([127, 0, 0, 1]), l4proto: 2 });
    const out = mine.find((f) => f.type === 'ipv4_sock' && f.dport === port && f.sport === client.localPort);
    expect(out).toMatchObject({ sip: Uint8Array.from([127, 0, 0, 1]), dip: Uint8Array.from([127, 0, 0, 1]), l4proto: 2 });
    expect(mine.some((f) => f.type === 'ipv4_sock' && f.sport === port && f.dport === client.localPort)).toBe(true); // the accepted end
  });
});
