// The fields in NUL_FREE_FIELDS are read by compiled bundles without a per-read cut at the
// first NUL, so a NUL reaching one of them would make compiled code and Falco disagree. Every
// such field is extracted, in both modes, on every event of the real captures and of a capture
// whose tables and string parameters are full of inner NULs.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { NUL_FREE_FIELDS } from '../../../runtime/extract/nul-free.ts';
import { compileExtractor } from '../../../runtime/extract/registry.ts';
import type { Extractor } from '../../../runtime/extract/context.ts';
import { SyscallFieldSource } from '../../../runtime/extract/registry.ts';
import { replayCapture } from '../../../runtime/engine/replay.ts';
import type { RuleEngine } from '../../../runtime/engine/rule-engine.ts';
import { CaptureWriter } from '../../../runtime/capture/capture-writer.ts';
import { EventEncoder } from '../../../runtime/capture/event-encoder.ts';
import { syntheticTables } from '../../../runtime/capture/synthetic-capture.ts';
import { SYSCALL_FIELDS } from '../../../runtime/fields/syscall-fields.ts';
import { code, ref } from './harness.ts';
import { curlCapture, mixedCapture, tempDir } from '../capture/capture-fixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Every NUL-free field, with an argument where it takes one. */
function extractors(): { name: string; x: Extractor }[] {
  const out: { name: string; x: Extractor }[] = [];
  for (const name of NUL_FREE_FIELDS) {
    const info = SYSCALL_FIELDS.find((f) => f.name === name);
    if (!info) throw new Error(`${name} is not a syscall field`);
    const written = info.arg === 'none' ? [name] : info.argKind === 'index' ? [`${name}[1]`, `${name}[3]`] : info.arg === 'required' ? [`${name}[HOME]`] : [name, `${name}[HOME]`];
    for (const w of written) for (const mode of ['filter', 'output'] as const) out.push({ name: `${w} (${mode})`, x: compileExtractor(ref(w), mode) });
  }
  return out;
}

/** Replays `file`, extracting every NUL-free field on every event; returns the offenders. */
async function offenders(file: string): Promise<{ events: number; bad: string[] }> {
  const xs = extractors();
  const bad = new Set<string>();
  const engine: RuleEngine = {
    wants: () => true,
    eventCodes: () => new Set(),
    evaluate(_code: number, src: { ctx: unknown }) {
      for (const { name, x } of xs) {
        const v = x(src.ctx as never);
        const vs = Array.isArray(v) ? v : [v];
        for (const s of vs) if (typeof s === 'string' && s.includes('\0')) bad.add(`${name}: ${JSON.stringify(s)}`);
      }
      return 0;
    },
    alertFor: () => undefined,
  } as unknown as RuleEngine;
  const r = await replayCapture(file, { engine, hostname: 'h', fieldSource: (state, view) => new SyscallFieldSource({ state, view }), onAlert: () => {} });
  return { events: r.events, bad: [...bad] };
}

/** A capture whose every table string and string parameter has a NUL inside. */
async function nulCapture(): Promise<string> {
  const nul = (s: string) => (s.length > 1 ? `${s.slice(0, 2)}\0${s.slice(2)}` : `${s}\0x`);
  const t = syntheticTables({ threads: 12, seed: 5 });
  for (const th of t.threads) {
    Object.assign(th, { comm: nul(th.comm), exe: nul(th.exe), exepath: nul(th.exepath || '/usr/bin/x'), cwd: nul(th.cwd), root: nul(th.root || '/') });
  }
  for (const fd of t.fds) if (fd.name !== undefined) fd.name = nul(fd.name);
  for (const u of t.users) Object.assign(u, { name: nul(u.name), homedir: nul(u.homedir), shell: nul(u.shell) });
  for (const g of t.groups) g.name = nul(g.name);
  const file = join(tmp.dir, 'nul.scap');
  const w = new CaptureWriter(file);
  w.writeMachineInfo(t.machine);
  w.writeInterfaces(t.interfaces);
  w.writeUsers(t.users, t.groups);
  w.writeThreads(t.threads);
  for (const th of t.threads) w.writeFdList(th.tid, t.fds.filter((f) => f.tid === th.tid));
  const enc = new EventEncoder();
  let ts = 1_767_225_600_000_000_000n;
  const put = (tid: bigint, e: string, values: Record<string, string | number | bigint | Uint8Array | null>) => {
    const b = enc.encodeNamed((ts += 1000n), tid, code(e), values);
    w.writeEvent(b, 0, b.length);
  };
  const procs = t.threads.filter((th) => th.tid === th.pid);
  for (const [i, th] of procs.entries()) {
    const tid = th.tid;
    put(tid, 'PPME_SYSCALL_OPENAT_2_X', { fd: 40 + i, dirfd: -100, name: '/etc/pa\0sswd', flags: 1, mode: 0 });
    put(tid, 'PPME_SYSCALL_OPENAT_2_X', { fd: 60 + i, dirfd: -100, name: 're\0l/path', flags: 1, mode: 0 });
    put(tid, 'PPME_SYSCALL_CHDIR_X', { res: 0, path: '/tm\0p' });
    put(tid, 'PPME_SYSCALL_OPENAT_2_X', { fd: 80 + i, dirfd: -100, name: 'af\0ter-chdir', flags: 1, mode: 0 });
    put(tid, 'PPME_SYSCALL_EXECVE_19_X', {
      res: 0, exe: '/usr/bin/cu\0rl', args: new TextEncoder().encode('-s\0htt\0p://x\0'), tid, pid: th.pid, ptid: th.ptid,
      cwd: '/ho\0me', comm: 'cu\0rl', cgroups: new TextEncoder().encode('cpuset=/docker/0123456789ab0123456789ab0123456789ab0123456789ab0123456789ab\0'),
      env: new TextEncoder().encode('HOME=/ro\0ot\0'), trusted_exepath: '/usr/bin/cu\0rl', filename: '/usr/bin/cu\0rl', loginuid: 0, uid: 0, gid: 0,
    });
    put(tid, 'PPME_SYSCALL_OPENAT_2_X', { fd: 90 + i, dirfd: 40 + i, name: 'x\0y', flags: 1, mode: 0 });
  }
  await w.close();
  return file;
}

describe('fields read by compiled code without a NUL cut', () => {
  it('are all syscall fields with extractors', () => {
    expect(() => extractors()).not.toThrow();
    expect(NUL_FREE_FIELDS.size).toBeGreaterThan(20);
  });

  it('never hold a NUL on a capture whose tables and parameters are full of them', async () => {
    const r = await offenders(await nulCapture());
    expect(r.events).toBeGreaterThan(20);
    expect(r.bad).toEqual([]);
  });

  it.each([
    ['mixed.scap.gz', mixedCapture],
    ['curl_google.scap', curlCapture],
  ])('never hold a NUL on %s', async (_name, file) => {
    const r = await offenders(file);
    expect(r.events).toBeGreaterThan(1000);
    expect(r.bad).toEqual([]);
  }, 120_000);

  it('would be caught holding one (the check sees values with NULs)', async () => {
    // Sanity: a field outside the list does carry the NULs this capture holds.
    const file = await nulCapture();
    const raw = compileExtractor(ref('evt.rawarg.args'), 'filter');
    let seen = 0;
    const engine = {
      wants: () => true, eventCodes: () => new Set(), alertFor: () => undefined,
      evaluate(_c: number, src: { ctx: unknown }) {
        const v = raw(src.ctx as never);
        if (typeof v === 'string' && v.includes('\0')) seen++;
        return 0;
      },
    } as unknown as RuleEngine;
    await replayCapture(file, { engine, hostname: 'h', fieldSource: (state, view) => new SyscallFieldSource({ state, view }), onAlert: () => {} });
    expect(seen).toBeGreaterThan(0);
  });
});
