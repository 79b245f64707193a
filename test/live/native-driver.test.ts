// The live driver for real: the eBPF program on this kernel, the addon's ring-buffer thread and
// batches, decoded by the same EventView replay uses. Needs root, BTF and the built addon
// (npm run build:native, which CI runs); without them the suite is skipped and says why.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EventView } from '../../runtime/events/event-view.ts';
import { EVENTS } from '../../runtime/events/event-table.ts';
import { decodeTuple } from '../../runtime/events/socket-params.ts';
import { LiveDriver, liveCaptureProblems } from '../../runtime/live/native-driver.ts';
import { repoRoot } from '../paths.ts';
import { PPM_O_CREAT, PPM_O_F_CREATED, PPM_O_TRUNC, PPM_O_WRONLY, PPM_O_RDONLY } from '../../runtime/events/ppm-flags.ts';
import { SystemState } from '../../runtime/state/system-state.ts';
import { EventParser } from '../../runtime/state/event-parser.ts';
import { compileExtractor } from '../../runtime/extract/registry.ts';
import { ref } from '../runtime/extract/harness.ts';

const addon = resolve(repoRoot, 'native/build/Release/falcoc_native.node');
const problems = [...liveCaptureProblems(), ...(existsSync(addon) ? [] : ['the addon is not built (npm run build:native)'])];
if (problems.length) console.warn(`SKIPPING the live driver tests: ${problems.join('; ')}`);

const dir = mkdtempSync(join(tmpdir(), 'falcoc-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const code = (e: string) => EVENTS.findIndex((x) => x.enum === e);

interface Seen { type: number; tid: number; params: (string | number | bigint)[] }

/** Captures openat and close while `action` runs, decoding every event as replay would. */
async function capture(action: () => number): Promise<{ events: Seen[]; pid: number; stats: ReturnType<LiveDriver['stats']>; count: number }> {
  const driver = new LiveDriver({ syscalls: ['openat', 'close'], ringBytes: 1 << 22, batchBytes: 1 << 18 });
  const view = new EventView();
  const events: Seen[] = [];
  let count = 0;
  const done = driver.start((bytes, n) => {
    count += n;
    for (let off = 0; off < bytes.length; off += view.length) {
      view.reset(bytes, off, bytes.length - off);
      const params: Seen['params'] = [];
      if (view.type === code('PPME_SYSCALL_OPENAT_2_X')) params.push(view.int(0), view.int(1), view.str(2), view.int(3, false), view.int(4, false), view.int(5, false), view.bigint(6, false));
      else if (view.type === code('PPME_SYSCALL_CLOSE_X')) params.push(view.int(0), view.int(1));
      events.push({ type: view.type, tid: view.tid, params });
    }
  });
  await new Promise((r) => setTimeout(r, 100));
  const pid = action();
  await new Promise((r) => setTimeout(r, 200));
  driver.stop();
  await done;
  return { events, pid, stats: driver.stats(), count };
}

/**
 * Runs a python3 script under a driver attached to `syscalls`; the parameters of the script's
 * last event of each type (paths as strings, 8-byte values as bigints), and what it printed.
 */
async function scriptEvents(syscalls: string[], script: string): Promise<{ got: Record<string, (number | bigint | string)[]>; out: string }> {
  const driver = new LiveDriver({ syscalls });
  const view = new EventView();
  const got: Record<string, (number | bigint | string)[]> = {};
  let pid = -1;
  const done = driver.start((bytes) => {
    for (let off = 0; off < bytes.length; off += view.length) {
      view.reset(bytes, off, bytes.length - off);
      if (view.tid !== pid) continue;
      const e = EVENTS[view.type]!;
      got[e.name] = e.params.map((p, i) =>
        ['FSPATH', 'FSRELPATH', 'CHARBUF'].includes(p.type)
          ? view.str(i)
          : ['BYTEBUF', 'SOCKTUPLE'].includes(p.type)
            ? Buffer.from(view.bytes(i)).toString('latin1')
            : view.paramLength(i) === 8
              ? view.bigint(i)
              : view.int(i, false),
      );
    }
  });
  await new Promise((r) => setTimeout(r, 100));
  // Asynchronously: this process must stay free to read the batches meanwhile.
  const child = spawn('python3', ['-c', script]);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  pid = child.pid!;
  await new Promise((r) => child.on('exit', r));
  await new Promise((r) => setTimeout(r, 100));
  driver.stop();
  await done;
  return { got, out: out.trim() };
}

describe.skipIf(problems.length > 0)('the live eBPF driver', () => {
  it('delivers openat and close exit events with the enter parameters folded in, as Falco does', async () => {
    const created = join(dir, 'created.txt');
    const missing = join(dir, 'missing', 'x');
    const r = await capture(() => {
      const child = spawnSync('sh', ['-c', `echo hi > ${created}; cat ${created} > /dev/null; cat ${missing} 2>/dev/null; echo $$`], { encoding: 'utf8' });
      return Number(child.stdout.trim());
    });
    const st = statSync(created);
    const opens = r.events.filter((e) => e.type === code('PPME_SYSCALL_OPENAT_2_X'));
    const write = opens.find((e) => e.params[2] === created && e.tid === r.pid);
    expect(write, 'the shell opening the file for its redirection').toBeDefined();
    const [fd, dirfd, , flags, , dev, ino] = write!.params as [number, number, string, number, number, number, bigint];
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(dirfd).toBe(-100);
    expect(flags & (PPM_O_WRONLY | PPM_O_CREAT | PPM_O_TRUNC | PPM_O_F_CREATED)).toBe(PPM_O_WRONLY | PPM_O_CREAT | PPM_O_TRUNC | PPM_O_F_CREATED);
    expect(ino).toBe(BigInt(st.ino));
    expect(dev).toBe(st.dev);
    const read = opens.find((e) => e.params[2] === created && e.tid !== r.pid);
    expect(read, 'cat opening the file').toBeDefined();
    expect((read!.params[3] as number) & PPM_O_F_CREATED).toBe(0);
    expect((read!.params[3] as number) & 3).toBe(PPM_O_RDONLY);
    const failed = opens.find((e) => e.params[2] === missing);
    expect(failed?.params[0]).toBe(-2); // ENOENT
    expect(r.events.some((e) => e.type === code('PPME_SYSCALL_CLOSE_X') && e.tid === r.pid && e.params[1] === fd)).toBe(true);
    expect(r.events.some((e) => e.tid === process.pid)).toBe(false); // falcoc's own process is left out
    expect(r.stats.drops).toBe(0);
    expect(r.count).toBe(r.events.length);
    expect(r.stats.events).toBeGreaterThanOrEqual(r.events.length);
  });

  it('keeps up with a burst far larger than its batches and the ring, losing nothing', async () => {
    // 100,000 open+close pairs through a 4 MiB ring and 64 KiB batches, with a consumer that
    // takes its time: events arrive without wakeups and must all be read, none dropped.
    const driver = new LiveDriver({ syscalls: ['openat', 'close'], ringBytes: 4 << 20, batchBytes: 1 << 16 });
    const view = new EventView();
    let pid = -1;
    let mine = 0;
    const done = driver.start((bytes) => {
      // A consumer with real work to do: the poll thread runs out of free batches at times.
      const until = performance.now() + 2;
      while (performance.now() < until);
      for (let off = 0; off < bytes.length; off += view.length) {
        view.reset(bytes, off, bytes.length - off);
        if (view.tid === pid && view.type === code('PPME_SYSCALL_OPENAT_2_X') && view.str(2) === '/etc/hostname') mine++;
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    // Asynchronously: this process must stay free to read the batches meanwhile.
    const child = spawn(process.execPath, ['-e', "const fs = require('fs'); for (let i = 0; i < 100000; i++) fs.closeSync(fs.openSync('/etc/hostname', 'r'));"]);
    pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    await new Promise((r) => setTimeout(r, 100));
    driver.stop();
    await done;
    expect(mine).toBe(100000);
    expect(driver.stats().drops).toBe(0);
    expect(driver.stats().batches).toBeGreaterThan(4);
  }, 60_000);

  it('merges the CPUs\u2019 staged events into one stream in time order, and sends a lone event within a poll or two', async () => {
    // Events are staged per CPU and leave in records; the reader merges them by time.
    const cpus = availableParallelism();
    expect(cpus, 'this test needs two CPUs to mean anything').toBeGreaterThanOrEqual(2);
    const driver = new LiveDriver({ syscalls: ['openat', 'close'], ringBytes: 4 << 20, batchBytes: 1 << 16 });
    const view = new EventView();
    const pids = new Set<number>();
    const perPid = new Map<number, number>();
    let lastTs = 0n;
    let outOfOrder = 0;
    let lonePid = -1;
    let loneSeenAt = -1;
    const done = driver.start((bytes) => {
      for (let off = 0; off < bytes.length; off += view.length) {
        view.reset(bytes, off, bytes.length - off);
        if (view.ts < lastTs) outOfOrder++;
        lastTs = view.ts;
        if (view.type !== code('PPME_SYSCALL_OPENAT_2_X') || view.str(2) !== '/etc/hostname') continue;
        if (pids.has(view.tid)) perPid.set(view.tid, (perPid.get(view.tid) ?? 0) + 1);
        if (view.tid === lonePid) loneSeenAt = performance.now();
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    const loop = "const fs = require('fs'); for (let i = 0; i < 20000; i++) fs.closeSync(fs.openSync('/etc/hostname', 'r'));";
    const children = [0, 1].map((cpu) => spawn('taskset', ['-c', String(cpu), process.execPath, '-e', loop]));
    for (const c of children) pids.add(c.pid!);
    await Promise.all(children.map((c) => new Promise((r) => c.on('exit', r))));
    await new Promise((r) => setTimeout(r, 300));
    // One open and nothing after it: the reader's flush must still bring it out.
    const one = spawn(process.execPath, ['-e', "require('fs').closeSync(require('fs').openSync('/etc/hostname', 'r'))"]);
    lonePid = one.pid!;
    await new Promise((r) => one.on('exit', r));
    const exitedAt = performance.now();
    await new Promise((r) => setTimeout(r, 500));
    driver.stop();
    await done;
    expect(outOfOrder).toBe(0);
    for (const c of children) expect(perPid.get(c.pid!)).toBe(20000);
    expect(loneSeenAt).toBeGreaterThan(0);
    expect(loneSeenAt - exitedAt).toBeLessThan(200);
    expect(driver.stats().drops).toBe(0);
  }, 60_000);

  it('says which tracepoint is missing instead of failing later', () => {
    expect(() => new LiveDriver({ syscalls: ['no_such_syscall'] })).toThrow(/the live driver cannot capture: no_such_syscall/);
  });

  it('follows processes: clone/vfork and execve exits keep state that fields read, as in replay', async () => {
    const target = join(dir, 'read-me.txt');
    spawnSync('sh', ['-c', `echo x > ${target}`]);
    const driver = new LiveDriver({ syscalls: ['openat', 'close', 'execve', 'execveat', 'clone', 'clone3', 'fork', 'vfork'], ringBytes: 1 << 22, batchBytes: 1 << 18 });
    const state = new SystemState();
    const parser = new EventParser(state);
    const view = new EventView();
    const ctx = { state, view };
    const fields = ['proc.name', 'proc.pname', 'proc.cmdline', 'proc.exepath', 'fd.name', 'user.uid', 'container.id'];
    const x = fields.map((f) => compileExtractor(ref(f), 'output'));
    let seen: Record<string, unknown> | undefined;
    const exits: number[] = [];
    const done = driver.start((bytes) => {
      for (let off = 0; off < bytes.length; off += view.length) {
        view.reset(bytes, off, bytes.length - off);
        if (!parser.process(view)) continue;
        if (view.type === code('PPME_PROCEXIT_1_E')) exits.push(view.tid);
        if (view.type === code('PPME_SYSCALL_OPENAT_2_X') && view.str(2) === target && seen === undefined) {
          seen = Object.fromEntries(fields.map((f, i) => [f, x[i]!(ctx)]));
          seen.tid = view.tid;
          seen.ptid = state.tinfo?.ptid;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    const shPid = Number(spawnSync('sh', ['-c', `cat ${target} > /dev/null; echo $$`], { encoding: 'utf8' }).stdout.trim());
    await new Promise((r) => setTimeout(r, 200));
    driver.stop();
    await done;
    expect(seen).toMatchObject({
      'proc.name': 'cat',
      'proc.pname': 'sh',
      'proc.cmdline': `cat ${target}`,
      'proc.exepath': '/usr/bin/cat',
      'fd.name': target,
      'user.uid': BigInt(process.getuid!()),
    });
    // This machine's cgroup (/process_api/<id>) reads as a containerd container (spec/containers.md).
    expect(seen!['container.id']).toMatch(/^[0-9a-f]{12}$|^host$/);
    expect(seen!.ptid).toBe(shPid);
    expect(exits).toContain(shPid);
    expect(driver.stats().drops).toBe(0);
  });

  it('gives connect, accept, sendto and recvfrom their socket tuples and data, and fd.name reads them as replay does', async () => {
    const driver = new LiveDriver({ syscalls: ['socket', 'connect', 'accept', 'accept4', 'bind', 'listen', 'sendto', 'recvfrom', 'close', 'execve', 'clone', 'clone3', 'vfork', 'fork'], ringBytes: 1 << 22, batchBytes: 1 << 18 });
    const state = new SystemState();
    const parser = new EventParser(state);
    const view = new EventView();
    const ctx = { state, view };
    const fdName = compileExtractor(ref('fd.name'), 'output');
    const seen: { type: string; name: unknown; res: number; data?: string }[] = [];
    const done = driver.start((bytes) => {
      for (let off = 0; off < bytes.length; off += view.length) {
        view.reset(bytes, off, bytes.length - off);
        if (!parser.process(view)) continue;
        const e = EVENTS[view.type]!;
        if (['PPME_SOCKET_CONNECT_X', 'PPME_SOCKET_ACCEPT4_6_X', 'PPME_SOCKET_ACCEPT_5_X'].includes(e.enum) && state.tinfo?.comm === 'python3') {
          seen.push({ type: e.name, name: fdName(ctx), res: view.int(0) });
        }
        if (['PPME_SOCKET_SENDTO_X', 'PPME_SOCKET_RECVFROM_X'].includes(e.enum) && state.tinfo?.comm === 'python3') {
          seen.push({ type: e.name, name: fdName(ctx), res: view.int(0), data: view.text(1) } as (typeof seen)[number]);
        }
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    const script = [
      'import socket',
      's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1); port = s.getsockname()[1]',
      'c = socket.socket(); c.connect(("127.0.0.1", port)); a, peer = s.accept()',
      'c.send(b"hello falcoc " * 10); a.recv(1000)',
      'print(port, peer[1])',
    ].join('\n');
    const out = spawnSync('python3', ['-c', script], { encoding: 'utf8' }).stdout.trim().split(' ').map(Number);
    await new Promise((r) => setTimeout(r, 200));
    driver.stop();
    await done;
    const [port, clientPort] = out as [number, number];
    const expected = `127.0.0.1:${clientPort}->127.0.0.1:${port}`;
    expect(seen.find((s) => s.type === 'connect')).toMatchObject({ name: expected, res: 0 });
    expect(seen.find((s) => s.type === 'accept' || s.type === 'accept4')?.name).toBe(expected);
    // The first 80 bytes of what was sent and received (Falco's default snaplen).
    const payload = 'hello falcoc '.repeat(10);
    expect(seen.find((s) => s.type === 'sendto')).toMatchObject({ name: expected, res: payload.length, data: payload.slice(0, 80) });
    expect(seen.find((s) => s.type === 'recvfrom')).toMatchObject({ name: expected, res: payload.length, data: payload.slice(0, 80) });
  });

  it('reads pipe fds from user memory and maps unshare and pipe2 flags to the ppm encoding', async () => {
    const script = [
      'import ctypes, os',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'r, w = os.pipe()',
      'print(os.getpid(), r, w, libc.unshare(0x04000000), flush=True)', // CLONE_NEWUTS
      'os.setresuid(0, 0, 0)',
    ].join('\n');
    const { got, out } = await scriptEvents(['pipe', 'pipe2', 'unshare', 'setresuid'], script);
    const [, r, w, unshared] = out.split(' ').map(Number);
    expect(unshared).toBe(0);
    // pipe2: res, fd1, fd2, ino, flags (O_CLOEXEC → PPM_O_CLOEXEC)
    expect(got.pipe2?.slice(0, 3)).toEqual([0n, BigInt(r!), BigInt(w!)]);
    expect(got.pipe2?.[4]).toBe(4096);
    expect(got.unshare).toEqual([0n, 128]); // PPM_CL_CLONE_NEWUTS
    expect(got.setresuid).toEqual([0n, 0, 0, 0]);
  });

  it('captures the other fd-creating, identity and message syscalls in their layouts', async () => {
    const script = [
      'import ctypes, os, socket, resource, struct',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'libc.syscall.restype = ctypes.c_long',
      'efd = os.eventfd(5, os.EFD_CLOEXEC | os.EFD_NONBLOCK)',
      'mask = ctypes.c_uint64(1 << 9)',
      'sfd = libc.syscall(289, -1, ctypes.byref(mask), 8, 0o2000000)', // signalfd4(SFD_CLOEXEC)
      'ifd = libc.inotify_init1(0o4000)', // IN_NONBLOCK
      'a, b = socket.socketpair()',
      'libc.prctl(15, b"falcoc-name", 0, 0, 0)', // PR_SET_NAME
      'cwd = os.getcwd()',
      'soft, hard = resource.prlimit(0, resource.RLIMIT_NOFILE)',
      'lim = ctypes.create_string_buffer(struct.pack("qq", 0, 0), 16)',
      'setr = libc.syscall(160, 4, lim)', // setrlimit(RLIMIT_CORE, {0, 0})
      'hdr = ctypes.create_string_buffer(struct.pack("Ii", 0x20080522, 0), 8)',
      'caps = ctypes.create_string_buffer(24)',
      'libc.syscall(125, hdr, caps)', // capget, then capset the same
      'capset = libc.syscall(126, hdr, caps)',
      'ufd = libc.syscall(323, 0o2000000 | 0o4000)', // userfaultfd(O_CLOEXEC | O_NONBLOCK)
      'pidfd = os.pidfd_open(os.getpid())',
      'gfd = libc.syscall(438, pidfd, efd, 0)', // pidfd_getfd
      'rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); rx.bind(("127.0.0.1", 0))',
      'tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
      'tx.sendmsg([b"hello ", b"falcoc"], [], 0, rx.getsockname())', // unconnected: the tuple's far end is msg_name
      'data, _, _, src = rx.recvmsg(100)',
      'print(efd, sfd, ifd, a.fileno(), b.fileno(), len(cwd), cwd, soft, hard, setr, capset, ufd, pidfd, gfd, tx.fileno(), rx.fileno(), rx.getsockname()[1], src[1], flush=True)',
    ].join('\n');
    const syscalls = ['eventfd2', 'signalfd4', 'inotify_init1', 'socketpair', 'prctl', 'getcwd', 'prlimit64', 'setrlimit', 'capset', 'userfaultfd', 'pidfd_getfd', 'sendmsg', 'recvmsg'];
    const { got, out } = await scriptEvents(syscalls, script);
    const f = out.split(' ');
    const [efd, sfd, ifd, a, b] = f.slice(0, 5).map(Number);
    const cwd = f[6]!;
    const [soft, hard, setr, capset, ufd, pidfd, gfd, txFd, rxFd, rxPort, txPort] = f.slice(7).map(Number);
    expect(got.eventfd2).toEqual([BigInt(efd!), 4096 | 64, 5n]); // EFD_CLOEXEC|EFD_NONBLOCK → PPM_O_CLOEXEC|PPM_O_NONBLOCK
    expect(got.signalfd4).toEqual([BigInt(sfd!), 4096, -1n, 0]);
    expect(got.inotify_init1).toEqual([BigInt(ifd!), 64]);
    // socketpair: res, fd1, fd2, source, peer (kernel socket addresses), domain, type, proto
    const sp = got.socketpair!;
    expect(sp.slice(0, 3)).toEqual([0n, BigInt(a!), BigInt(b!)]);
    expect(sp[3]).not.toBe(0n);
    expect(sp[4]).not.toBe(0n);
    expect(sp[3]).not.toBe(sp[4]);
    expect([sp[5], Number(sp[6]) & 0xf]).toEqual([1, 1]); // AF_UNIX, SOCK_STREAM
    expect(got.prctl?.slice(0, 3)).toEqual([0n, 15, 'falcoc-name']);
    expect(got.getcwd).toEqual([BigInt(cwd.length + 1), cwd]);
    // prlimit: res, newcur, newmax (none given: -1), oldcur, oldmax, pid, resource (RLIMIT_NOFILE)
    expect(got.prlimit).toEqual([0n, -1n, -1n, BigInt(soft!), BigInt(hard!), 0n, 7]);
    expect(setr).toBe(0);
    expect(got.setrlimit).toEqual([0n, 0n, 0n, 4]);
    expect(capset).toBe(0);
    const status = readFileSync(`/proc/self/status`, 'utf8'); // the same root credentials as the script's
    const cap = (k: string) => BigInt('0x' + new RegExp(`^${k}:\\s+([0-9a-f]+)`, 'm').exec(status)![1]);
    expect(got.capset).toEqual([0n, cap('CapInh'), cap('CapPrm'), cap('CapEff')]);
    expect(got.userfaultfd).toEqual([BigInt(ufd!), 4096 | 64]);
    expect(got.pidfd_getfd).toEqual([BigInt(gfd!), BigInt(pidfd!), BigInt(efd!), 0]);
    // sendmsg: res, data (both iovecs), fd, size, tuple (to msg_name: the socket is unconnected)
    const sm = got.sendmsg!;
    expect(sm.slice(0, 4)).toEqual([12n, 'hello falcoc', BigInt(txFd!), 12]);
    const tuple = (t: string) => decodeTuple(Buffer.from(t, 'latin1'));
    expect(tuple(sm[4] as string)).toMatchObject({ kind: 'inet', src: { port: txPort }, dst: { port: rxPort } });
    // recvmsg: res, size, data, tuple (the sender first: msg_name after the call), msgcontrol, fd
    const rm = got.recvmsg!;
    expect(rm.slice(0, 3)).toEqual([12n, 100, 'hello falcoc']);
    expect(tuple(rm[3] as string)).toMatchObject({ kind: 'inet', src: { port: txPort }, dst: { port: rxPort } });
    expect(rm[5]).toBe(BigInt(rxFd!));
  });

  it('flags an exe as writable, and on overlayfs by the layer it comes from, as Falco\u2019s drivers do', async () => {
    // An overlay whose lower layer holds one binary; another is written through the mount,
    // so it lands in the upper layer (a container's "drop and execute").
    const base = mkdtempSync(join(tmpdir(), 'falcoc-ovl-'));
    const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((d) => join(base, d)) as [string, string, string, string];
    for (const d of [lower, upper, work, merged]) mkdirSync(d);
    copyFileSync('/bin/true', join(lower, 'from-image'));
    const mounted = spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged]);
    expect(mounted.status, String(mounted.stderr)).toBe(0);
    try {
      copyFileSync('/bin/true', join(merged, 'dropped'));
      chmodSync(join(merged, 'dropped'), 0o755);
      const flagsOf = async (exe: string) => {
        const { got } = await scriptEvents(['execve'], `import os\nos.execv(${JSON.stringify(exe)}, ['x'])`);
        return got.execve?.[19];
      };
      expect(await flagsOf(join(merged, 'dropped'))).toBe(1 | 2); // EXE_WRITABLE | EXE_UPPER_LAYER
      expect(await flagsOf(join(merged, 'from-image'))).toBe(1 | 8); // EXE_WRITABLE | EXE_LOWER_LAYER
      expect(await flagsOf('/bin/true')).toBe(1); // root owns it: writable, as in Falco's captures here
    } finally {
      spawnSync('umount', [merged]);
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('delivers open, creat and openat2 in their own layouts, with the same file facts as openat', async () => {
    const made = join(dir, 'creat.txt');
    const script = [
      'import ctypes, struct',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'libc.syscall.restype = ctypes.c_long',
      `fd1 = libc.syscall(2, b"/etc/hostname", 0)`, // open(O_RDONLY)
      `fd2 = libc.creat(${JSON.stringify(made)}.encode(), 0o640)`,
      'how = ctypes.create_string_buffer(struct.pack("QQQ", 0o2000000, 0, 0x04), 24)', // O_CLOEXEC; RESOLVE_NO_SYMLINKS
      'fd3 = libc.syscall(437, -100, b"/etc/hostname", how, 24)',
      'print(fd1, fd2, fd3)',
    ].join('\n');
    const { got, out } = await scriptEvents(['open', 'creat', 'openat2'], script);
    const [fd1, fd2, fd3] = out.split(' ').map((x) => BigInt(x));
    const host = statSync('/etc/hostname');
    // open: fd, name, flags, mode, dev, ino
    expect(got.open).toEqual([fd1, '/etc/hostname', PPM_O_RDONLY, 0, host.dev, BigInt(host.ino)]);
    // creat: fd, name, mode, dev, ino, creat_flags
    expect(got.creat).toEqual([fd2, made, 0o640, statSync(made).dev, BigInt(statSync(made).ino), 0]);
    // openat2: fd, dirfd, name, flags, mode, resolve (RESOLVE_NO_SYMLINKS → 8), dev, ino
    expect(got.openat2).toEqual([fd3, -100n, '/etc/hostname', PPM_O_RDONLY | 4096, 0, 8, host.dev, BigInt(host.ino)]);
  });
});
