import { describe, expect, it } from 'vitest';
import { Harness, fdOf, v4 } from './harness.ts';

function withInterfaces(h: Harness): Harness {
  for (const a of ['127.0.0.1', '192.0.2.2']) {
    h.state.interfaces.push({ family: 4, name: 'if', addr: v4(a), netmask: v4('255.255.255.0'), bcast: v4('0.0.0.0'), linkSpeed: 0n });
  }
  return h;
}

const ip = (s: string) => ({ family: 4, addr: v4(s) });

describe('files', () => {
  const h = new Harness();
  const t = h.thread({ tid: 10, cwd: '/root/' });
  const f = fdOf({ type: 'file_v2', name: '/etc/shadow', nameRaw: '/etc/../etc/..//etc/shadow', dev: 0x801, ino: 42n, openFlags: 1 | 32768 });
  t.fds.set(3, f);
  h.event('PPME_SYSCALL_OPENAT_2_X', 10, { fd: 3, dirfd: -100, name: '/etc/../etc/..//etc/shadow', flags: 1, mode: 0, dev: 0x801, ino: 42n }, { fd: 3, fdinfo: f });

  it('describes the opened file', () => {
    expect(h.get('fd.num')).toBe(3n);
    expect(h.get('fd.name')).toBe('/etc/shadow');
    expect(h.get('fd.nameraw')).toBe('/etc/../etc/../etc/shadow');
    expect(h.get('fd.directory')).toBe('/etc');
    expect(h.get('fd.filename')).toBe('shadow');
    expect(h.get('fd.type')).toBe('file');
    expect(h.get('fd.typechar')).toBe('f');
    expect(h.get('fd.l4proto')).toBe('<NA>');
    expect(h.get('fd.sockfamily')).toBeUndefined();
    expect(h.get('fd.is_server')).toBe(false);
    expect(h.get('fd.cip')).toBeUndefined();
    expect(h.get('fd.ip')).toEqual([]);
    expect(h.get('fd.dev')).toBe(0x801n);
    expect(h.get('fd.dev.major')).toBe(8n);
    expect(h.get('fd.dev.minor')).toBe(1n);
    expect(h.get('fd.ino')).toBe(42n);
    expect(h.get('fd.is_upper_layer')).toBe(true);
    expect(h.get('fd.is_lower_layer')).toBe(false);
    expect(h.get('fd.containername')).toBe(':/etc/shadow');
    expect(h.get('fd.containerdirectory')).toBe(':/etc');
    expect(h.get('fd.uid')).toBe('103');
    expect(h.get('fd.types')).toEqual(['file']);
    expect(h.get('fd.types[3]')).toEqual(['file']);
    expect(h.get('fd.types[4]')).toBeUndefined();
  });

  it('rebuilds the name of a failed open from the event', () => {
    h.event('PPME_SYSCALL_OPENAT_2_X', 10, { fd: -2, dirfd: -100, name: 'missing/../x', flags: 1, mode: 0, dev: 0, ino: 0n });
    expect(h.get('fd.num')).toBe(-1n);
    expect(h.get('fd.name')).toBe('/root/x');
    expect(h.get('fd.nameraw')).toBe('missing/../x');
    expect(h.get('fd.typechar')).toBe('f');
    expect(h.get('fd.type')).toBeUndefined();
    expect(h.get('fd.filename')).toBeUndefined();
    expect(h.get('fd.directory')).toBe('/root/x');
  });

  it('uses the dirfd entry for *at events, and "" with AT_FDCWD', () => {
    const dir = fdOf({ type: 'directory', name: '/opt/oracle-act/scratch/history-_fixt7lu' });
    t.fds.set(5, dir);
    h.event('PPME_SYSCALL_UNLINKAT_2_X', 10, { res: 0, dirfd: 5, name: 'ash_history', flags: 0 }, { fd: 5, fdinfo: dir });
    expect(h.get('fd.name')).toBe('/opt/oracle-act/scratch/history-_fixt7lu');
    expect(h.get('fd.directory')).toBe('/opt/oracle-act/scratch/history-_fixt7lu');
    expect(h.get('evt.arg.name')).toBe('/opt/oracle-act/scratch/history-_fixt7lu/ash_history');
    h.event('PPME_SYSCALL_UNLINKAT_2_X', 10, { res: 0, dirfd: -100, name: '/usr/bin/oracle-act-b', flags: 0 }, { fd: -100 });
    expect(h.get('fd.name')).toBe('');
    expect(h.get('fd.num')).toBe(-100n);
    expect(h.get('fd.typechar')).toBe('o');
  });

  it('has no fd values for events that do not touch an fd', () => {
    h.event('PPME_SYSCALL_RENAMEAT2_X', 10, { res: 0, olddirfd: -100, oldpath: '/a', newdirfd: -100, newpath: '/b', flags: 0 });
    expect(h.get('fd.name')).toBeUndefined();
    expect(h.get('fd.num')).toBeUndefined();
    expect(h.get('fd.types')).toBeUndefined();
    h.event('PPME_SYSCALL_EXECVE_19_X', 10, { res: 0 });
    expect(h.get('fd.name')).toBeUndefined();
  });
});

describe('sockets', () => {
  it('orients a host client connection by the machine addresses (oracle ssh connect)', () => {
    const h = withInterfaces(new Harness());
    const t = h.thread({ tid: 10 });
    const s = fdOf({
      type: 'ipv4_sock', l4proto: 'tcp', role: 'client', connected: true, name: '192.0.2.2:50898->203.0.113.10:443',
      sip: v4('192.0.2.2'), sport: 50898, dip: v4('203.0.113.10'), dport: 443,
    });
    t.fds.set(3, s);
    const tuple = Uint8Array.from([2, ...v4('192.0.2.2'), 0xd2, 0xc6, ...v4('203.0.113.10'), 0xbb, 0x01]);
    h.event('PPME_SOCKET_CONNECT_X', 10, { res: -115, tuple, fd: 3 }, { fd: 3, fdinfo: s, nameChanged: true });
    // A connect that returned an error (EINPROGRESS too) names the fd by the event's tuple.
    expect(h.get('fd.name')).toBe('192.0.2.2:50898->203.0.113.10:443');
    expect(h.get('fd.type')).toBe('ipv4');
    expect(h.get('fd.typechar')).toBe('4');
    expect(h.get('fd.l4proto')).toBe('tcp');
    expect(h.get('fd.sockfamily')).toBe('ip');
    expect(h.get('fd.lport')).toBe(50898n);
    expect(h.get('fd.rport')).toBe(443n);
    expect(h.get('fd.lip')).toEqual(ip('192.0.2.2'));
    expect(h.get('fd.rip')).toEqual(ip('203.0.113.10'));
    expect(h.get('fd.cip')).toEqual(ip('192.0.2.2'));
    expect(h.get('fd.sip')).toEqual(ip('203.0.113.10'));
    expect(h.get('fd.cport')).toBe(50898n);
    expect(h.get('fd.sport')).toBe(443n);
    expect(h.get('fd.sproto')).toBe('443');
    expect(h.get('fd.lproto')).toBe('50898');
    expect(h.get('fd.is_server')).toBe(false);
    expect(h.get('fd.connected')).toBe(true);
    expect(h.get('fd.name_changed')).toBe(true);
    expect(h.get('fd.ip')).toEqual([ip('192.0.2.2'), ip('203.0.113.10')]);
    expect(h.get('fd.port')).toEqual([50898n, 443n]);
    expect(h.get('fd.sip.name')).toBeUndefined();
    expect(h.get('evt.res')).toBe('EINPROGRESS');
  });

  it('treats loopback as remote for a container thread without a known IP (oracle dup2)', () => {
    const h = withInterfaces(new Harness());
    const t = h.thread({ tid: 10, containerId: '4f8e2d1c9b7a' });
    const s = fdOf({
      type: 'ipv4_sock', l4proto: 'tcp', role: 'client', name: '127.0.0.1:59616->127.0.0.1:58763',
      sip: v4('127.0.0.1'), sport: 59616, dip: v4('127.0.0.1'), dport: 58763,
    });
    t.fds.set(3, s);
    t.fds.set(1, s.clone());
    h.event('PPME_SYSCALL_DUP2_X', 10, { res: 1, oldfd: 3, newfd: 1 }, { fd: 1, fdinfo: s });
    expect(h.get('fd.num')).toBe(1n);
    expect(h.get('fd.name')).toBe('127.0.0.1:59616->127.0.0.1:58763');
    expect(h.get('fd.lport')).toBe(58763n);
    expect(h.get('fd.rport')).toBe(59616n);
    expect(h.get('fd.sip')).toEqual(ip('127.0.0.1'));
    expect(h.get('fd.containername')).toBe('4f8e2d1c9b7a:127.0.0.1:59616->127.0.0.1:58763');
  });

  it('gives an unknown-family socket <NA> type and protocol and no ports (oracle AF_PACKET)', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10 });
    const s = fdOf({ type: 'unknown', name: '' });
    t.fds.set(3, s);
    h.event('PPME_SOCKET_SOCKET_X', 10, { fd: 3, domain: 17, type: 3, proto: 768, flags: 0 }, { fd: 3, fdinfo: s });
    expect(h.get('fd.name')).toBe('');
    expect(h.get('fd.type')).toBe('<NA>');
    expect(h.get('fd.l4proto')).toBe('<NA>');
    expect(h.get('fd.lport')).toBeUndefined();
    expect(h.get('fd.rport')).toBeUndefined();
    expect(h.get('fd.ip')).toEqual([]);
  });

  it('describes a listening socket by its one address', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10 });
    const s = fdOf({ type: 'ipv4_servsock', l4proto: 'tcp', role: 'server', name: '0.0.0.0:8080', sip: v4('0.0.0.0'), sport: 8080 });
    t.fds.set(3, s);
    h.event('PPME_SOCKET_LISTEN_X', 10, { res: 0, fd: 3, backlog: 5 }, { fd: 3, fdinfo: s });
    expect(h.get('fd.is_server')).toBe(true);
    expect(h.get('fd.sip')).toEqual(ip('0.0.0.0'));
    expect(h.get('fd.sport')).toBe(8080n);
    expect(h.get('fd.cip')).toBeUndefined();
    expect(h.get('fd.lport')).toBeUndefined();
    expect(h.get('fd.ip')).toEqual([ip('0.0.0.0')]);
    expect(h.get('fd.port')).toEqual([8080n]);
  });

  it('shows the tuple of a failed connect, NULL when empty', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10 });
    const s = fdOf({ type: 'unix_sock', name: 'old' });
    t.fds.set(3, s);
    h.event('PPME_SOCKET_CONNECT_X', 10, { res: -2, fd: 3 }, { fd: 3, fdinfo: s });
    expect(h.get('fd.name')).toBe('NULL');
    expect(h.get('fd.sockfamily')).toBe('unix');
    expect(h.get('fd.typechar')).toBe('u');
  });
});
