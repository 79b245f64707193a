import { describe, expect, it } from 'vitest';
import { Harness, fdOf } from './harness.ts';

/** systemd(1) → bash(100) → capture.sh(200) → python3(300) → cat(400, with a second thread 401). */
function family() {
  const h = new Harness();
  h.thread({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd', sid: 1 });
  h.thread({ tid: 100, ptid: 1, comm: 'bash', exe: '-bash', exepath: '/usr/bin/bash', sid: 100, env: ['HOME=/root', 'LANG=C'] });
  h.thread({ tid: 200, ptid: 100, comm: 'capture.sh', exe: '/bin/sh', exepath: '/usr/bin/dash', args: ['capture.sh'], sid: 100 });
  h.thread({ tid: 300, ptid: 200, comm: 'python3', exe: 'python3', exepath: '/usr/bin/python3.11', args: ['act.py', '-v'], sid: 100 });
  const cat = h.thread({
    tid: 400, ptid: 300, comm: 'cat', exe: 'cat', exepath: '/usr/bin/cat', args: ['/etc/shadow'], sid: 100, vpgid: 400, pgid: 400,
    cwd: '/', env: ['PATH=/usr/bin', 'HTTP_PROXY=http://my.http.proxy.com ', 'EMPTY='], cloneTs: 1_000n,
    capPermitted: 2199006478335n, tty: 34816, cgroups: [['cpu', '/user.slice'], ['memory', '/user.slice/x']],
  });
  cat.fds.set(0, fdOf({ type: 'fifo', name: '' }));
  cat.fds.set(1, fdOf({ type: 'file', name: '/dev/pts/0' }));
  const worker = h.thread({ tid: 401, pid: 400, ptid: 300, comm: 'cat-worker', cwd: '/nowhere/' });
  worker.fds = cat.fds;
  return h;
}

describe('the process and its parent', () => {
  const h = family();
  h.event('PPME_SYSCALL_EXECVE_19_X', 400, { res: 0 }, { ts: 5_000n });

  it('reads the thread', () => {
    expect(h.get('proc.name')).toBe('cat');
    expect(h.get('proc.exe')).toBe('cat');
    expect(h.get('proc.exepath')).toBe('/usr/bin/cat');
    expect(h.get('proc.cmdline')).toBe('cat /etc/shadow');
    expect(h.get('proc.args')).toBe('/etc/shadow');
    expect(h.get('proc.args[0]')).toBe('/etc/shadow');
    expect(h.get('proc.args[5]')).toBe('');
    expect(h.get('proc.exeline')).toBe('cat /etc/shadow');
    expect(h.get('proc.cmdnargs')).toBe(1n);
    expect(h.get('proc.cmdlenargs')).toBe(11n);
    expect(h.get('proc.pid')).toBe(400n);
    expect(h.get('proc.vpid')).toBe(400n);
    expect(h.get('thread.tid')).toBe(400n);
    expect(h.get('thread.ismain')).toBe(true);
    expect(h.get('proc.tty')).toBe(34816n);
    expect(h.get('proc.cwd')).toBe('/');
    expect(h.get('proc.duration')).toBe(4_000n);
    expect(h.get('proc.pid.ts')).toBe(1_000n);
  });

  it('reads the parent', () => {
    expect(h.get('proc.pname')).toBe('python3');
    expect(h.get('proc.pexe')).toBe('python3');
    expect(h.get('proc.pexepath')).toBe('/usr/bin/python3.11');
    expect(h.get('proc.pcmdline')).toBe('python3 act.py -v');
    expect(h.get('proc.ppid')).toBe(300n);
  });

  it('reads ancestors by level (0 is the process itself)', () => {
    expect(h.get('proc.aname[0]')).toBe('cat');
    expect(h.get('proc.aname[2]')).toBe('capture.sh');
    expect(h.get('proc.aname[3]')).toBe('bash');
    expect(h.get('proc.aname[4]')).toBe('systemd');
    expect(h.get('proc.aname[5]')).toBeUndefined();
    expect(h.get('proc.aexepath[2]')).toBe('/usr/bin/dash');
    expect(h.get('proc.aexe[2]')).toBe('/bin/sh');
    expect(h.get('proc.acmdline[1]')).toBe('python3 act.py -v');
    expect(h.get('proc.apid[3]')).toBe(100n);
    expect(h.get('proc.aargs[1]')).toBe('act.py -v');
  });

  it('lists every ancestor for conditions, and joins them in outputs', () => {
    expect(h.get('proc.aname')).toEqual(['python3', 'capture.sh', 'bash', 'systemd']);
    expect(h.get('proc.aname', 'output')).toBe('python3 capture.sh bash systemd');
    expect(h.get('proc.apid')).toEqual([300n, 200n, 100n, 1n]);
    expect(h.get('proc.apid', 'output')).toBe(400n);
    expect(h.get('proc.aexepath', 'output')).toBe('/usr/bin/python3.11 /usr/bin/dash /usr/bin/bash /usr/lib/systemd/systemd');
    // libsinsp adds a space before each ancestor's (here empty) arguments once the text has begun.
    expect(h.get('proc.aargs')).toBe('act.py -v capture.sh  ');
  });

  it('finds the session leader and the login shell', () => {
    expect(h.get('proc.sid')).toBe(100n);
    expect(h.get('proc.sname')).toBe('bash');
    expect(h.get('proc.sid.exepath')).toBe('/usr/bin/bash');
    expect(h.get('proc.vpgid.name')).toBe('cat');
    expect(h.get('proc.is_vpgid_leader')).toBe(true);
    expect(h.get('proc.is_sid_leader')).toBe(false);
    expect(h.get('proc.loginshellid')).toBe(100n);
  });

  it('reads the environment verbatim, and single variables trimmed', () => {
    expect(h.get('proc.env')).toBe('PATH=/usr/bin HTTP_PROXY=http://my.http.proxy.com  EMPTY=');
    expect(h.get('proc.env[HTTP_PROXY]')).toBe('http://my.http.proxy.com');
    expect(h.get('proc.env[EMPTY]')).toBe('');
    expect(h.get('proc.env[NOPE]')).toBe('');
    expect(h.get('proc.aenv[HOME]')).toBe('/root');
    expect(h.get('proc.aenv[3]', 'output')).toBe('HOME=/root LANG=C');
    // In conditions libsinsp tests every ancestor's environment unless a variable is named.
    expect(h.get('proc.aenv[3]')).toEqual(['', '', 'HOME=/root LANG=C', '']);
  });

  it('names capabilities lowest bit first', () => {
    const caps = h.get('thread.cap_permitted') as string;
    expect(caps.startsWith('CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH')).toBe(true);
    expect(caps).toContain('CAP_SYS_NICE CAP_SYS_TIME');
    expect(caps).not.toContain('CAP_SYS_RESOURCE');
    expect(caps.endsWith('CAP_BPF CAP_CHECKPOINT_RESTORE')).toBe(true);
    expect(h.get('thread.cap_effective')).toBe('');
  });

  it('reads cgroups, std fds, thread counts', () => {
    expect(h.get('thread.cgroups')).toBe('cpu=/user.slice memory=/user.slice/x');
    expect(h.get('thread.cgroup.memory')).toBe('/user.slice/x');
    expect(h.get('thread.cgroup.pids')).toBeUndefined();
    expect(h.get('proc.stdin.type')).toBe('pipe');
    expect(h.get('proc.stdout.name')).toBe('/dev/pts/0');
    expect(h.get('proc.stderr.name')).toBeUndefined();
    expect(h.get('proc.nthreads')).toBe(2n);
    expect(h.get('proc.nchilds')).toBe(1n);
    expect(h.get('proc.fdopencount')).toBe(2n);
  });
});

describe('a secondary thread', () => {
  it('reads process-wide data through its main thread', () => {
    const h = family();
    h.event('PPME_SYSCALL_EXECVE_19_X', 401, { res: 0 });
    expect(h.get('proc.name')).toBe('cat-worker');
    expect(h.get('thread.ismain')).toBe(false);
    expect(h.get('proc.cwd')).toBe('/');
    expect(h.get('proc.env[HTTP_PROXY]')).toBe('http://my.http.proxy.com');
    expect(h.get('proc.aname[0]')).toBe('cat');
    expect(h.get('proc.pname')).toBe('python3');
  });
});

describe('threads without a known ancestry', () => {
  it('gives a placeholder thread libsinsp values', () => {
    const h = new Harness();
    h.state.getThread(999);
    h.event('PPME_SYSCALL_EXECVE_19_X', 999, { res: 0 });
    expect(h.get('proc.name')).toBe('<NA>');
    expect(h.get('proc.cmdline')).toBe('<NA>');
    expect(h.get('proc.args')).toBe('');
    expect(h.get('proc.exepath')).toBe('');
    expect(h.get('proc.pid')).toBe(-1n);
    expect(h.get('proc.vpid')).toBeUndefined();
    expect(h.get('proc.pname')).toBeUndefined();
    expect(h.get('proc.ppid')).toBeUndefined();
    expect(h.get('proc.aname')).toBeUndefined();
    expect(h.get('proc.cwd')).toBe('./');
    expect(h.get('proc.sname')).toBe('');
    expect(h.get('user.uid')).toBe(4294967295n);
    expect(h.get('user.name')).toBe('<NA>');
  });

  it('stops at an orphan (ptid 0) and on parent loops', () => {
    const h = new Harness();
    h.thread({ tid: 50, ptid: 0, comm: 'orphan' });
    h.thread({ tid: 60, ptid: 61, comm: 'a' });
    h.thread({ tid: 61, ptid: 60, comm: 'b' });
    h.event('PPME_SYSCALL_EXECVE_19_X', 50, { res: 0 });
    expect(h.get('proc.pname')).toBeUndefined();
    expect(h.get('proc.aname')).toBeUndefined();
    h.event('PPME_SYSCALL_EXECVE_19_X', 60, { res: 0 });
    // The walk notices the loop after the first ancestor, as libsinsp's does.
    expect(h.get('proc.aname')).toEqual(['b']);
  });

  it('has no process fields for events without a thread', () => {
    const h = new Harness();
    h.event('PPME_ASYNCEVENT_E', 7, { plugin_id: 0, name: 'x', data: null });
    expect(h.get('proc.name')).toBeUndefined();
    expect(h.get('thread.tid')).toBe(7n);
  });
});
