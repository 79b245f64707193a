import { describe, expect, it } from 'vitest';
import { Harness, fdOf } from './harness.ts';

process.env.TZ = 'UTC';

const TS = 1_795_457_770_262_058_253n; // 2026-11-23T18:16:10.262058253Z

describe('event identity and time', () => {
  const h = new Harness();
  h.thread({ tid: 10 });
  h.state.firstEventTs = TS - 1_500_000_000n;
  h.event('PPME_SYSCALL_SETUID_X', 10, { res: 0, uid: 1 }, { ts: TS });

  it('gives number, type, direction, source', () => {
    expect(h.get('evt.num')).toBe(75n);
    expect(h.get('evt.type')).toBe('setuid');
    expect(h.get('syscall.type')).toBe('setuid');
    expect(h.get('evt.dir')).toBe('<');
    expect(h.get('evt.source')).toBe('syscall');
    expect(h.get('evt.is_async')).toBe(false);
    expect(h.get('evt.asynctype')).toBeUndefined();
    expect(h.get('evt.category')).toBe('user');
    expect(h.get('evt.type.is.199')).toBe(1n);
    expect(h.get('evt.type.is.3')).toBe(0n);
  });

  it('formats the timestamp in every variant', () => {
    expect(h.get('evt.time')).toBe('18:16:10.262058253');
    expect(h.get('evt.time.s')).toBe('18:16:10');
    expect(h.get('evt.time.iso8601')).toBe('2026-11-23T18:16:10.262058253Z');
    expect(h.get('evt.datetime')).toBe('2026-11-23 18:16:10.262058253');
    expect(h.get('evt.datetime.s')).toBe('2026-11-23 18:16:10');
    expect(h.get('evt.rawtime')).toBe(TS);
    expect(h.get('evt.rawtime.s')).toBe(1_795_457_770n);
    expect(h.get('evt.rawtime.ns')).toBe(262_058_253n);
    expect(h.get('evt.reltime')).toBe(1_500_000_000n);
    expect(h.get('evt.reltime.s')).toBe(1n);
    expect(h.get('evt.reltime.ns')).toBe(500_000_000n);
  });

  it('reports the deprecated latencies as 0', () => {
    expect(h.get('evt.latency')).toBe(0n);
    expect(h.get('evt.latency.human')).toBe('0ns');
  });
});

describe('return values', () => {
  it('names errors and flags failures', () => {
    const h = new Harness();
    h.thread({ tid: 10 });
    h.event('PPME_SYSCALL_EXECVE_19_X', 10, { res: -2 });
    expect(h.get('evt.res')).toBe('ENOENT');
    expect(h.get('evt.rawres')).toBe(-2n);
    expect(h.get('evt.failed')).toBe(true);
    expect(h.get('evt.count.error')).toBe(1n);
    h.event('PPME_SYSCALL_EXECVE_19_X', 10, { res: 0 });
    expect(h.get('evt.res')).toBe('SUCCESS');
    expect(h.get('evt.failed')).toBe(false);
  });

  it('has none for enter events such as procexit', () => {
    const h = new Harness();
    h.thread({ tid: 10 });
    h.event('PPME_PROCEXIT_1_E', 10, { status: 0, ret: 0, sig: 0, core: 0, reaper_tid: 0 });
    expect(h.get('evt.res')).toBeUndefined();
    expect(h.get('evt.rawres')).toBeUndefined();
    expect(h.get('evt.failed')).toBeUndefined();
    expect(h.get('evt.dir')).toBe('>');
    expect(h.get('evt.count.exit')).toBeUndefined();
  });
});

describe('evt.arg / evt.rawarg', () => {
  const h = new Harness();
  h.thread({ tid: 10 });
  h.event('PPME_SYSCALL_EXECVE_19_X', 10, { res: 0, exe: 'program', flags: 5, cwd: null, uid: 0 });

  it('shows resolved text when there is one, else raw text', () => {
    expect(h.get('evt.arg.flags')).toBe('EXE_WRITABLE|EXE_FROM_MEMFD');
    expect(h.get('evt.arg[0]')).toBe('0');
    expect(h.get('evt.arg.exe')).toBe('program');
    expect(h.get('evt.arg.cwd')).toBe('<NA>');
  });

  it('has no value for parameters the event does not have', () => {
    expect(h.get('evt.arg.path')).toBeUndefined();
    expect(h.get('evt.arg.fd')).toBeUndefined();
    expect(h.get('evt.arg[99]')).toBeUndefined();
  });

  it('gives raw typed values', () => {
    expect(h.get('evt.rawarg.res')).toBe(0n);
    expect(h.get('evt.rawarg.flags')).toBe(5n);
    expect(h.get('evt.rawarg.exe')).toBe('program');
    expect(h.get('evt.rawarg.cwd')).toBe('<NA>');
    expect(h.get('evt.rawarg.tty')).toBeUndefined();
  });

  it('renders flags 0 with no name as the number', () => {
    h.event('PPME_SYSCALL_EXECVE_19_X', 10, { res: 0, flags: 0 });
    expect(h.get('evt.arg.flags')).toBe('0');
  });

  it('gives the bpf command name and the setuid target user', () => {
    h.event('PPME_SYSCALL_BPF_2_X', 10, { fd: 3, cmd: 5 });
    expect(h.get('evt.arg.cmd')).toBe('BPF_PROG_LOAD');
    h.state.users.addUser('', { uid: 1, gid: 1, name: 'daemon', homedir: '/', shell: '/bin/sh' });
    h.event('PPME_SYSCALL_SETUID_X', 10, { res: 0, uid: 1 });
    expect(h.get('evt.arg.uid')).toBe('daemon');
    expect(h.get('evt.args')).toBe('res=0 uid=1(daemon)');
    expect(h.get('evt.info')).toBe('res=0 uid=1(daemon)');
  });
});

describe('open checks', () => {
  const h = new Harness();
  h.thread({ tid: 10 });
  const open = (flags: number, mode = 0) =>
    h.event('PPME_SYSCALL_OPENAT_2_X', 10, { fd: 3, dirfd: -100, name: '/etc/shadow', flags, mode, dev: 0, ino: 0n }, { fd: 3 });

  it('reads the access mode from the open flags', () => {
    open(4097);
    expect(h.get('evt.arg.flags')).toBe('O_RDONLY|O_CLOEXEC');
    expect([h.get('evt.is_open_read'), h.get('evt.is_open_write')]).toEqual([true, false]);
    open(3);
    expect([h.get('evt.is_open_read'), h.get('evt.is_open_write')]).toEqual([true, true]);
  });

  it('flags creations with an execute bit and created files', () => {
    open(2 | 4, 0o755);
    expect(h.get('evt.is_open_exec')).toBe(true);
    open(2 | 4, 0o644);
    expect(h.get('evt.is_open_exec')).toBe(false);
    open(2 | 4 | 16384, 0o644);
    expect(h.get('evt.is_open_create')).toBe(true);
  });

  it('is false for other events', () => {
    h.event('PPME_SYSCALL_SETUID_X', 10, { res: 0, uid: 1 });
    expect(h.get('evt.is_open_read')).toBe(false);
  });
});

describe('I/O classification', () => {
  it('classifies by event flags and fd kind', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10 });
    t.fds.set(4, fdOf({ type: 'ipv4_sock', l4proto: 'udp', role: 'client' }));
    h.event('PPME_SOCKET_SENDTO_X', 10, { res: 12, data: 'hello world!', fd: 4, size: 12 }, { fd: 4, fdinfo: t.fds.get(4) });
    expect(h.get('evt.is_io')).toBe(true);
    expect(h.get('evt.is_io_write')).toBe(true);
    expect(h.get('evt.io_dir')).toBe('write');
    expect(h.get('evt.category')).toBe('net');
    expect(h.get('evt.buffer')).toBe('hello world!');
    expect(h.get('evt.buflen')).toBe(12n);
    expect(h.get('evt.buflen.net.out')).toBe(12n);
    expect(h.get('evt.buflen.file')).toBeUndefined();
  });
});

describe('evt.abspath', () => {
  it('joins the dirfd directory and the relative path', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10, cwd: '/home/u/' });
    t.fds.set(7, fdOf({ type: 'directory', name: '/var/lib' }));
    h.event('PPME_SYSCALL_RENAMEAT2_X', 10, { res: 0, olddirfd: 7, oldpath: 'a', newdirfd: -100, newpath: 'b', flags: 0 });
    expect(h.get('evt.abspath')).toBe('/var/lib/a');
    expect(h.get('evt.abspath.src')).toBe('/var/lib/a');
    expect(h.get('evt.abspath.dst')).toBe('/home/u/b');
  });
});

describe('meta events', () => {
  it('are async and have no return value', () => {
    const h = new Harness();
    const json = '{"container":{"id":"4f8e2d1c9b7a","name":"web"}}\0';
    h.event('PPME_ASYNCEVENT_E', 0, { plugin_id: 0, name: 'container', data: Buffer.from(json, 'latin1') });
    expect(h.get('evt.is_async')).toBe(true);
    expect(h.get('evt.type')).toBe('container');
    expect(h.get('evt.asynctype')).toBe('container');
    expect(h.get('evt.res')).toBeUndefined();
    expect(h.get('syscall.type')).toBeUndefined();
  });
});
