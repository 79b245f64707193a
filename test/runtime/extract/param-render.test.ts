// Parameter rendering, checked against strings Falco 0.44.1 printed for the oracle capture.
import { describe, expect, it } from 'vitest';
import { Harness, fdOf, v4 } from './harness.ts';
import { argsText, paramText } from '../../../runtime/extract/param-render.ts';

const tuple4 = (sip: string, sport: number, dip: string, dport: number) =>
  Uint8Array.from([2, ...v4(sip), sport & 0xff, sport >> 8, ...v4(dip), dport & 0xff, dport >> 8]);

describe('evt.args', () => {
  it('renders the AF_PACKET socket event as Falco does', () => {
    const h = new Harness();
    const t = h.thread({ tid: 500, comm: 'python3', containerId: '4f8e2d1c9b7a' });
    t.fds.set(3, fdOf({ type: 'unknown', name: '' }));
    h.event('PPME_SOCKET_SOCKET_X', 500, { fd: 3, domain: 17, type: 3, proto: 768, flags: 0 }, { fdinfo: t.fds.get(3), fd: 3 });
    expect(argsText(h.ctx)).toBe('fd=3(<o>) domain=17(AF_PACKET) type=3 proto=768 flags=0(O_NONE)');
  });

  it('renders *at events with AT_FDCWD and absolute paths (no resolved text)', () => {
    const h = new Harness();
    h.thread({ tid: 10 });
    h.event('PPME_SYSCALL_UNLINKAT_2_X', 10, { res: 0, dirfd: -100, name: '/usr/bin/oracle-act-b', flags: 0 }, { fd: -100 });
    expect(argsText(h.ctx)).toBe('res=0 dirfd=-100(AT_FDCWD) name=/usr/bin/oracle-act-b flags=0');
    h.event('PPME_SYSCALL_RENAMEAT2_X', 10, {
      res: 0, olddirfd: -100, oldpath: '/usr/bin/oracle-act-a', newdirfd: -100, newpath: '/usr/bin/oracle-act-b', flags: 1,
    });
    expect(argsText(h.ctx)).toBe(
      'res=0 olddirfd=-100(AT_FDCWD) oldpath=/usr/bin/oracle-act-a newdirfd=-100(AT_FDCWD) newpath=/usr/bin/oracle-act-b flags=1(RENAME_NOREPLACE)',
    );
    h.event('PPME_SYSCALL_RMDIR_2_X', 10, { res: 0, path: '/bin/oracle-act-dir' });
    expect(argsText(h.ctx)).toBe('res=0 path=/bin/oracle-act-dir');
  });

  it('shows empty parameters as <NA> or NULL and errors by name', () => {
    const h = new Harness();
    h.thread({ tid: 10 });
    h.event('PPME_SOCKET_CONNECT_X', 10, { res: -2, fd: 4 }, { fd: 4 });
    expect(argsText(h.ctx)).toBe('res=-2(ENOENT) tuple=NULL fd=4 addr=<NA>');
  });
});

describe('one parameter as evt.arg sees it', () => {
  it('resolves a relative path against the dirfd directory, adding the separator', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10 });
    t.fds.set(5, fdOf({ type: 'directory', name: '/opt/oracle-act/scratch/history-_fixt7lu' }));
    h.event('PPME_SYSCALL_UNLINKAT_2_X', 10, { res: 0, dirfd: 5, name: 'ash_history', flags: 0 }, { fd: 5, fdinfo: t.fds.get(5) });
    expect(paramText(h.ctx, 2)).toBe('/opt/oracle-act/scratch/history-_fixt7lu/ash_history');
    expect(argsText(h.ctx)).toBe(
      'res=0 dirfd=5(<d>/opt/oracle-act/scratch/history-_fixt7lu) name=ash_history(/opt/oracle-act/scratch/history-_fixt7lu/ash_history) flags=0',
    );
  });

  it('resolves FSPATH against the process cwd', () => {
    const h = new Harness();
    h.thread({ tid: 10, cwd: '/tmp/' });
    h.event('PPME_SYSCALL_MKDIR_2_X', 10, { res: 0, path: 'd/../x', mode: 0o755 });
    expect(paramText(h.ctx, 1)).toBe('/tmp/x');
    expect(paramText(h.ctx, 2)).toBe('1ED');
  });

  it('renders sockets with type and protocol letters and tuples', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10 });
    t.fds.set(4, fdOf({ type: 'ipv4_sock', l4proto: 'tcp', name: '192.0.2.2:50898->203.0.113.10:443' }));
    h.event('PPME_SOCKET_CONNECT_X', 10, { res: -115, tuple: tuple4('192.0.2.2', 50898, '203.0.113.10', 443), fd: 4 }, { fd: 4 });
    expect(paramText(h.ctx, 0)).toBe('EINPROGRESS');
    expect(paramText(h.ctx, 1)).toBe('192.0.2.2:50898->203.0.113.10:443');
    expect(paramText(h.ctx, 2)).toBe('<4t>192.0.2.2:50898->203.0.113.10:443');
  });

  it('names uids from the event value, not the thread', () => {
    const h = new Harness();
    h.state.users.addUser('', { uid: 1, gid: 1, name: 'daemon', homedir: '/usr/sbin', shell: '/usr/sbin/nologin' });
    h.thread({ tid: 10, uid: 0 });
    h.event('PPME_SYSCALL_SETUID_X', 10, { res: 0, uid: 1 });
    expect(paramText(h.ctx, 1)).toBe('daemon');
    h.event('PPME_SYSCALL_SETUID_X', 10, { res: 0, uid: 0 });
    expect(paramText(h.ctx, 1)).toBe('root');
    h.event('PPME_SYSCALL_SETUID_X', 10, { res: -1, uid: 0xffffffff });
    expect(argsText(h.ctx)).toBe('res=-1(EPERM) uid=-1(<NONE>)');
  });

  it('renders octal modes with %#o and their symbolic names', () => {
    const h = new Harness();
    h.thread({ tid: 10 });
    h.event('PPME_SYSCALL_FCHMODAT_X', 10, { res: 0, dirfd: -100, filename: '/opt/oracle-act/scratch/suid-vcdwf6oc', mode: 0o4600 }, { fd: -100 });
    expect(paramText(h.ctx, 3)).toBe('S_IWUSR|S_IRUSR|S_ISUID');
    expect(argsText(h.ctx)).toBe('res=0 dirfd=-100(AT_FDCWD) filename=/opt/oracle-act/scratch/suid-vcdwf6oc mode=04600(S_IWUSR|S_IRUSR|S_ISUID)');
  });

  it('names pids by their thread comm and renders byte buffers with dots', () => {
    const h = new Harness();
    h.thread({ tid: 10, comm: 'sh' });
    h.thread({ tid: 11, comm: 'gdb' });
    h.event('PPME_SYSCALL_KILL_X', 11, { res: 0, pid: 10, sig: 9 });
    expect(argsText(h.ctx)).toBe('res=0 pid=10(sh) sig=9(SIGKILL)');
    h.event('PPME_SYSCALL_EXECVE_19_X', 10, { res: 0, exe: 'sh', args: 'sh\0-c\0id\0' });
    expect(paramText(h.ctx, 2)).toBe('sh.-c.id.');
  });
});
