import { describe, expect, it } from 'vitest';
import { Harness, fdOf } from './harness.ts';

describe('fs.path fields', () => {
  it('give the path of successful path syscalls, raw and absolute', () => {
    const h = new Harness();
    h.thread({ tid: 10, cwd: '/home/u/' });
    h.event('PPME_SYSCALL_MKDIR_2_X', 10, { res: 0, path: 'a/./b', mode: 0o755 });
    expect(h.get('fs.path.nameraw')).toBe('a/./b');
    expect(h.get('fs.path.name')).toBe('/home/u/a/b');
    expect(h.get('fs.path.source')).toBeUndefined();
    h.event('PPME_SYSCALL_MKDIR_2_X', 10, { res: -17, path: 'a', mode: 0o755 });
    expect(h.get('fs.path.name')).toBeUndefined();
  });

  it('give source and target of renames and links', () => {
    const h = new Harness();
    h.thread({ tid: 10, cwd: '/home/u/' });
    h.event('PPME_SYSCALL_RENAMEAT2_X', 10, { res: 0, olddirfd: -100, oldpath: 'x', newdirfd: -100, newpath: '/tmp//y', flags: 0 });
    expect(h.get('fs.path.source')).toBe('/home/u/x');
    expect(h.get('fs.path.sourceraw')).toBe('x');
    expect(h.get('fs.path.target')).toBe('/tmp/y');
    h.event('PPME_SYSCALL_LINKAT_2_X', 10, { res: 0, olddir: -100, oldpath: '/etc/shadow', newdir: -100, newpath: '/tmp/l', flags: 0 });
    expect(h.get('fs.path.source')).toBe('/tmp/l');
    expect(h.get('fs.path.target')).toBe('/etc/shadow');
  });

  it('resolve *at paths against the dirfd directory', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10 });
    const dir = fdOf({ type: 'directory', name: '/var/tmp' });
    t.fds.set(4, dir);
    h.event('PPME_SYSCALL_UNLINKAT_2_X', 10, { res: 0, dirfd: 4, name: 'f', flags: 0 }, { fd: 4, fdinfo: dir });
    expect(h.get('fs.path.name')).toBe('/var/tmp/f');
  });

  it('take opens as successful unless the fd is -1 (libsinsp checks exactly that)', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10, cwd: '/root/' });
    const f = fdOf({ type: 'file_v2', name: '/root/notes' });
    t.fds.set(3, f);
    h.event('PPME_SYSCALL_OPENAT_2_X', 10, { fd: 3, dirfd: -100, name: 'notes', flags: 1, mode: 0, dev: 0, ino: 0n }, { fd: 3, fdinfo: f });
    expect(h.get('fs.path.name')).toBe('/root/notes');
    expect(h.get('fs.path.nameraw')).toBe('notes');
  });
});
