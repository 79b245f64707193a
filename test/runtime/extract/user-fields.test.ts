import { describe, expect, it } from 'vitest';
import { Harness } from './harness.ts';

describe('user and group fields', () => {
  const h = new Harness();
  h.state.users.addUser('', { uid: 1, gid: 1, name: 'daemon', homedir: '/usr/sbin', shell: '/usr/sbin/nologin' });
  h.state.users.addGroup('', { gid: 0, name: 'root' });

  it('names the thread ids; an unset login uid is -1 (oracle root alerts)', () => {
    h.thread({ tid: 10, uid: 0, gid: 0, loginuid: 0xffffffff });
    h.event('PPME_SYSCALL_SETUID_X', 10, { res: 0, uid: 0 });
    expect(h.get('user.uid')).toBe(0n);
    expect(h.get('user.name')).toBe('root');
    expect(h.get('user.homedir')).toBe('/root');
    expect(h.get('user.shell')).toBe('<NA>');
    expect(h.get('user.loginuid')).toBe(-1n);
    expect(h.get('user.loginname')).toBe('<NA>');
    expect(h.get('group.gid')).toBe(0n);
    expect(h.get('group.name')).toBe('root');
  });

  it('reads known users from the table, unknown ones as <NA>', () => {
    h.thread({ tid: 11, uid: 1, gid: 7, loginuid: 1 });
    h.event('PPME_SYSCALL_SETUID_X', 11, { res: 0, uid: 1 });
    expect(h.get('user.name')).toBe('daemon');
    expect(h.get('user.homedir')).toBe('/usr/sbin');
    expect(h.get('user.shell')).toBe('/usr/sbin/nologin');
    expect(h.get('user.loginuid')).toBe(1n);
    expect(h.get('user.loginname')).toBe('daemon');
    expect(h.get('group.name')).toBe('<NA>');
  });

  it('looks users up per container: root still reads root', () => {
    h.thread({ tid: 12, uid: 0, containerId: '4f8e2d1c9b7a' });
    h.event('PPME_SYSCALL_SETUID_X', 12, { res: 0, uid: 1 });
    expect(h.get('user.name')).toBe('root');
    h.thread({ tid: 13, uid: 1, containerId: '4f8e2d1c9b7a' });
    h.event('PPME_SYSCALL_SETUID_X', 13, { res: 0, uid: 1 });
    expect(h.get('user.name')).toBe('<NA>');
  });
});
