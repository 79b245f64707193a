import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { EVENTS } from '../../../runtime/events/event-table.ts';
import { EventView } from '../../../runtime/events/event-view.ts';
import { EventEncoder, type ParamValue } from '../../../runtime/capture/event-encoder.ts';
import { readCapture } from '../../../runtime/capture/capture-reader.ts';
import { SystemState } from '../../../runtime/state/system-state.ts';
import { EventParser } from '../../../runtime/state/event-parser.ts';
import { ThreadInfo } from '../../../runtime/state/thread.ts';
import { FdInfo } from '../../../runtime/state/fd.ts';
import { sharedDir } from '../../paths.ts';

const CODE = (e: string) => EVENTS.findIndex((x) => x.enum === e);
const enc = new EventEncoder();

/** A harness: one state, events built by name with named parameters (others empty). */
function harness() {
  const state = new SystemState();
  const parser = new EventParser(state);
  const view = new EventView();
  let ts = 1_000_000_000n;
  return {
    state,
    emit(e: string, tid: number, params: Record<string, ParamValue>, at?: bigint): boolean {
      const code = CODE(e);
      const info = EVENTS[code]!;
      for (const k of Object.keys(params)) if (!info.params.some((p) => p.name === k)) throw new Error(`${e} has no ${k}`);
      const bytes = enc.encode((ts = at ?? ts + 1000n), BigInt(tid), code, info.params.map((p) => params[p.name] ?? null));
      view.reset(bytes, 0, bytes.length);
      return parser.process(view);
    },
  };
}

function seed(state: SystemState, tid: number, pid: number, ptid: number, comm: string): ThreadInfo {
  const t = new ThreadInfo();
  Object.assign(t, { tid, pid, ptid, vtid: tid, vpid: pid, comm, exe: comm, exepath: `/usr/bin/${comm}`, uid: 0, gid: 0, cwd: '/root/' });
  state.addThread(t);
  return t;
}

const cloneParams = (res: number, tid: number, pid: number, ptid: number, comm: string, flags = 0) => ({
  res, exe: comm, args: 'a\0b\0', tid, pid, ptid, comm, cgroups: 'cpu=/docker/4f8e2d1c9b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e\0', flags, uid: 0, gid: 0, vtid: tid, vpid: pid,
});

describe('thread state', () => {
  it('builds a forked child on the caller side, inheriting fds and cwd; the child event then only sets its container id', () => {
    const h = harness();
    const bash = seed(h.state, 100, 100, 1, 'bash');
    seed(h.state, 1, 1, 0, 'init');
    const f = new FdInfo();
    f.type = 'file';
    f.name = '/etc/passwd';
    bash.fds.set(3, f);
    h.emit('PPME_SYSCALL_CLONE_20_X', 100, cloneParams(200, 100, 100, 1, 'bash'));
    const child = h.state.findThread(200)!;
    expect(child).toMatchObject({ pid: 200, ptid: 100, comm: 'bash', args: ['a', 'b'], cwd: '/root/', exepath: '/usr/bin/bash', containerId: '' });
    expect(child.fds).not.toBe(bash.fds);
    expect(child.fds.get(3)?.name).toBe('/etc/passwd');
    h.emit('PPME_SYSCALL_CLONE_20_X', 200, cloneParams(0, 200, 200, 100, 'bash'));
    expect(h.state.findThread(200)).toBe(child);
    expect(child.containerId).toBe('4f8e2d1c9b7a');
  });

  it('threads share the fd table and take the caller’s parent', () => {
    const h = harness();
    seed(h.state, 1, 1, 0, 'init');
    const p = seed(h.state, 100, 100, 1, 'python3');
    h.emit('PPME_SYSCALL_CLONE_20_X', 100, cloneParams(101, 100, 100, 1, 'python3', 8192 /* CLONE_THREAD */));
    const t = h.state.findThread(101)!;
    expect(t.pid).toBe(100);
    expect(t.ptid).toBe(1);
    expect(t.fds).toBe(p.fds);
  });

  it('vfork children come from their own event; an unknown parent leaves ptid 0', () => {
    const h = harness();
    h.emit('PPME_SYSCALL_VFORK_20_X', 300, cloneParams(0, 300, 300, 299, 'sh'));
    const t = h.state.findThread(300)!;
    expect(t.fromChildEvent).toBe(true);
    expect(t.ptid).toBe(0);
    // The caller's later event does not rebuild it.
    h.emit('PPME_SYSCALL_VFORK_20_X', 299, cloneParams(300, 299, 299, 1, 'sh'));
    expect(h.state.findThread(300)).toBe(t);
  });

  it('execve replaces the process data; a failed one changes nothing', () => {
    const h = harness();
    const t = seed(h.state, 100, 100, 1, 'bash');
    h.emit('PPME_SYSCALL_EXECVE_19_X', 100, { res: -2, exe: 'nscd', comm: 'nscd', trusted_exepath: '/usr/sbin/nscd' });
    expect(t.comm).toBe('bash');
    h.emit('PPME_SYSCALL_EXECVE_19_X', 100, {
      res: 0, exe: 'program', args: '', tid: 100, pid: 100, ptid: 1, comm: 'memfd:program', env: 'A=1\0B= x \0', loginuid: 0xffffffff,
      flags: 5, uid: 1, gid: 2, trusted_exepath: '/tmp/x (deleted)', tty: 34816,
    });
    expect(t).toMatchObject({ comm: 'memfd:program', exe: 'program', args: [], env: ['A=1', 'B= x '], exeWritable: true, exeFromMemfd: true, uid: 1, gid: 2, exepath: '/tmp/x', tty: 34816, loginuid: 0xffffffff });
    expect(t.cmdline()).toBe('memfd:program');
  });

  it('procexit removes the thread when the next event starts; children go to a reaper', () => {
    const h = harness();
    seed(h.state, 1, 1, 0, 'init');
    seed(h.state, 100, 100, 1, 'bash');
    const c = seed(h.state, 200, 200, 100, 'sleep');
    h.emit('PPME_PROCEXIT_1_E', 100, { status: 0, ret: 0, sig: 0, core: 0, reaper_tid: 0 });
    expect(h.state.findThread(100)?.dead).toBe(true);
    h.emit('PPME_SYSCALL_SETSID_X', 200, { res: 200 });
    expect(h.state.findThread(100)).toBeUndefined();
    expect(c.ptid).toBe(1);
    expect(c.sid).toBe(200);
  });

  it('unknown threads become placeholders; setuid and chdir update the thread', () => {
    const h = harness();
    h.emit('PPME_SYSCALL_SETUID_X', 555, { res: 0, uid: 1 });
    const t = h.state.findThread(555)!;
    expect(t.invalid).toBe(true);
    expect(t.uid).toBe(1);
    expect(h.state.counters.placeholders).toBe(1);
    const u = seed(h.state, 10, 10, 0, 'sh');
    h.emit('PPME_SYSCALL_CHDIR_X', 10, { res: 0, path: 'tmp/../var' });
    expect(u.cwd).toBe('/root/var/');
  });

  it('a full thread table evicts placeholders first, then refuses', () => {
    const state = new SystemState(2);
    const p = new ThreadInfo();
    p.tid = 5;
    state.addThread(p);
    seed(state, 1, 1, 0, 'init');
    seed(state, 2, 2, 1, 'a');
    expect(state.counters.threadsEvicted).toBe(1);
    expect(seed(state, 3, 3, 1, 'b') && state.findThread(3)).toBeUndefined();
    expect(state.counters.threadsRefused).toBe(1);
  });
});

describe('fd state', () => {
  it('opens resolve against cwd and dirfd; close is deferred by one event', () => {
    const h = harness();
    const t = seed(h.state, 10, 10, 0, 'cat');
    h.emit('PPME_SYSCALL_OPENAT_2_X', 10, { fd: 3, dirfd: -100, name: '../etc/./shadow', flags: 4097 });
    expect(h.state.fdinfo?.name).toBe('/etc/shadow');
    expect(h.state.fdinfo?.nameRaw).toBe('../etc/./shadow');
    expect(h.state.lastEventFd).toBe(3);
    h.emit('PPME_SYSCALL_OPENAT_2_X', 10, { fd: 4, dirfd: 3, name: 'x', flags: 1024 | 1 });
    expect(t.fds.get(4)).toMatchObject({ name: '/etc/shadow/x', type: 'directory' });
    h.emit('PPME_SYSCALL_OPENAT_2_X', 10, { fd: -2, dirfd: -100, name: 'nope', flags: 1 });
    expect(h.state.lastEventFd).toBe(-1);
    expect(h.state.fdinfo).toBeUndefined();
    h.emit('PPME_SYSCALL_CLOSE_X', 10, { res: 0, fd: 3 });
    expect(h.state.fdinfo?.name).toBe('/etc/shadow');
    expect(t.fds.get(3)).toBeDefined();
    h.emit('PPME_SYSCALL_SETSID_X', 10, { res: 10 });
    expect(t.fds.get(3)).toBeUndefined();
  });

  it('sockets: connect names the tuple, dup2 copies the entry, fd.num is the new fd', () => {
    const h = harness();
    const t = seed(h.state, 10, 10, 0, 'nc');
    h.emit('PPME_SOCKET_SOCKET_X', 10, { fd: 3, domain: 2, type: 1, proto: 0 });
    expect(t.fds.get(3)).toMatchObject({ type: 'ipv4_sock', l4proto: 'tcp', name: '' });
    const tuple = new Uint8Array([2, 192, 0, 2, 2, 0xd2, 0xc6, 203, 0, 113, 10, 0xbb, 0x01]);
    h.emit('PPME_SOCKET_CONNECT_X', 10, { res: -115, tuple, fd: 3 });
    expect(t.fds.get(3)).toMatchObject({ name: '192.0.2.2:50898->203.0.113.10:443', role: 'client', connected: true });
    expect(h.state.nameChanged).toBe(true);
    h.emit('PPME_SYSCALL_DUP2_X', 10, { res: 1, oldfd: 3, newfd: 1 });
    expect(h.state.lastEventFd).toBe(1);
    expect(h.state.fdinfo?.name).toBe('192.0.2.2:50898->203.0.113.10:443');
    expect(t.fds.get(1)).not.toBe(t.fds.get(3));
    expect(t.fds.get(1)?.type).toBe('ipv4_sock');
    h.emit('PPME_SOCKET_SOCKET_X', 10, { fd: 5, domain: 17, type: 3, proto: 768 });
    expect(t.fds.get(5)?.type).toBe('unknown');
  });

  it('close-on-exec fds go away on a successful execve; close_range removes a range', () => {
    const h = harness();
    const t = seed(h.state, 10, 10, 0, 'sh');
    h.emit('PPME_SYSCALL_OPENAT_2_X', 10, { fd: 3, dirfd: -100, name: '/a', flags: 1 | 4096 });
    h.emit('PPME_SYSCALL_OPENAT_2_X', 10, { fd: 4, dirfd: -100, name: '/b', flags: 1 });
    h.emit('PPME_SYSCALL_OPENAT_2_X', 10, { fd: 5, dirfd: -100, name: '/c', flags: 1 });
    h.emit('PPME_SYSCALL_EXECVE_19_X', 10, { res: 0, exe: 'x', comm: 'x', pid: 10, trusted_exepath: '/x' });
    expect([...t.fds.fds.keys()]).toEqual([4, 5]);
    h.emit('PPME_SYSCALL_CLOSE_RANGE_X', 10, { res: 0, first: 5, last: 0xffffffff, flags: 0 });
    expect([...t.fds.fds.keys()]).toEqual([4]);
  });
});

describe('real captures', () => {
  async function replayState(file: string, at?: (state: SystemState, v: EventView) => void) {
    const state = new SystemState();
    const parser = new EventParser(state);
    const view = new EventView();
    let delivered = 0;
    await readCapture(file, {
      thread: (t) => state.seedThread(t), fd: (f) => state.seedFd(f), networkInterface: (i) => void state.interfaces.push(i),
      user: (u) => state.users.addUser(u.containerId, u), group: (g) => state.users.addGroup(g.containerId, g),
      tablesDone: () => state.finishSeeding(),
      event(s) {
        view.reset(s.data, s.offset, s.length, s.littleEndian);
        if (parser.process(view)) delivered++;
        at?.(state, view);
      },
    });
    return { state, delivered };
  }

  it('curl_google.scap: curl’s DNS lookup thread and its sockets', async () => {
    const seen: Record<string, string> = {};
    const { state, delivered } = await replayState(join(sharedDir, 'upstream/captures/curl_google.scap'), (s, v) => {
      const t = s.tinfo;
      if (t?.comm !== 'curl') return;
      if (v.name === 'connect' && v.type === 23 && s.fdinfo) seen[`connect ${t.tid} ${v.int(0)}`] = s.fdinfo.name;
      if (v.name === 'open' && v.type === 3 && s.fdinfo?.name === '/etc/resolv.conf') seen.resolv = `${t.tid} ${s.lastEventFd}`;
      if (v.type === 31 && t.tid === 17497 && !seen.http) {
        seen.http = `${t.pid} ${t.ptid} ${t.cmdline()} ${s.cwdOf(t)} ${s.fdinfo?.type} ${s.fdinfo?.l4proto} ${s.fdinfo?.role}`;
      }
    });
    expect(delivered).toBe(1536 - 52); // open and connect enter events are consumed for state
    expect(seen['connect 17498 0']).toBe('2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53');
    expect(seen['connect 17497 -115']).toBe('2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80');
    expect(seen.resolv).toBe('17498 4');
    expect(seen.http).toBe('17497 3200 curl -6 http://www.google.com /home/ubuntu/ ipv6_sock tcp client');
    expect(state.findThread(17498)).toBeUndefined(); // both curl threads exited
    expect(state.findThread(17497)).toBeUndefined();
    expect(state.findThread(3200)?.comm).toBe('bash');
  });

  it('mixed.scap.gz: snapshot threads, users and the activity’s process tree', async () => {
    let firstEvaluated = 0;
    let shadow = '';
    const { state, delivered } = await replayState(join(sharedDir, 'oracle/mixed.scap.gz'), (s, v) => {
      if (!firstEvaluated && v.name !== 'useradded' && v.name !== 'groupadded') firstEvaluated = s.evtNum;
      if (!shadow && v.type === 307 && s.fdinfo?.name === '/etc/shadow') {
        const t = s.tinfo!;
        shadow = [t.comm, s.parent(t)?.comm, s.parent(s.parent(t)!)?.comm, t.uid, t.loginuid, s.fdinfo.nameRaw].join(' ');
      }
    });
    expect(delivered).toBe(420606); // Falco's "Captured Events"
    expect(firstEvaluated).toBe(75);
    expect(shadow).toBe('cat python3 capture.sh 0 4294967295 /etc/shadow');
    expect(state.users.userName('', 1)).toBe('daemon');
    expect(state.interfaces.map((i) => i.name)).toContain('eth0');
    expect(state.counters.threadsRefused).toBe(0);
  });
});
