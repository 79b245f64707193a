import { describe, expect, it } from 'vitest';
import { SYSCALL_FIELDS } from '../../../runtime/fields/syscall-fields.ts';
import type { FieldInfo } from '../../../runtime/fields/field-info.ts';
import { SyscallFieldSource, compileExtractor, hasExtractor } from '../../../runtime/extract/registry.ts';
import type { TypedField } from '../../../compiler/check/typed.ts';
import { Harness, fdOf } from './harness.ts';

/** A plausible argument for fields that take one. */
function refFor(f: FieldInfo) {
  if (f.arg === 'none') return { field: f };
  if (f.name === 'evt.arg' || f.name === 'evt.rawarg') return { field: f, arg: 'res' };
  if (f.name === 'evt.abspath') return { field: f, arg: 'src' };
  if (f.argKind === 'index') return { field: f, arg: '1', argIndex: 1 };
  return { field: f, arg: 'HOME' };
}

describe('the syscall field registry', () => {
  it('has an extractor for every field of the syscall catalog', () => {
    expect(SYSCALL_FIELDS.filter((f) => !hasExtractor(f.name)).map((f) => f.name)).toEqual([]);
  });

  it('throws, naming the field, for a field it does not know', () => {
    const bogus = { ...SYSCALL_FIELDS[0]!, name: 'evt.bogus' };
    expect(() => compileExtractor({ field: bogus })).toThrow(/evt\.bogus/);
  });

  it('extracts every field, in both modes, from events with and without a thread or fd', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10, ptid: 1, containerId: '4f8e2d1c9b7a' });
    h.thread({ tid: 1, ptid: 0 });
    t.fds.set(3, fdOf({ type: 'ipv4_sock', l4proto: 'tcp', role: 'client', sip: new Uint8Array(4), dip: new Uint8Array(4) }));
    const events: (() => void)[] = [
      () => h.event('PPME_SYSCALL_EXECVE_19_X', 10, { res: 0 }),
      () => h.event('PPME_SOCKET_CONNECT_X', 10, { res: 0, fd: 3 }, { fd: 3, fdinfo: t.fds.get(3) }),
      () => h.event('PPME_SYSCALL_OPENAT_2_X', 10, { fd: -2, dirfd: 99, name: 'x', flags: 0, mode: 0, dev: 0, ino: 0n }),
      () => h.event('PPME_ASYNCEVENT_E', 0, { plugin_id: 0, name: 'container', data: null }),
      () => h.event('PPME_GENERIC_X', 10, { ID: 2, nativeID: 0 }),
    ];
    for (const e of events) {
      e();
      for (const f of SYSCALL_FIELDS) {
        for (const mode of ['filter', 'output'] as const) {
          expect(() => compileExtractor(refFor(f), mode)(h.ctx), f.name).not.toThrow();
        }
      }
    }
  });

  it('compiles each field reference once and follows the current event', () => {
    const h = new Harness();
    h.thread({ tid: 10, comm: 'sh' });
    h.thread({ tid: 11, comm: 'cat' });
    const src = new SyscallFieldSource(h.ctx);
    const field = { kind: 'field', field: SYSCALL_FIELDS.find((f) => f.name === 'proc.name')!, type: 'CHARBUF', isList: false } as TypedField;
    h.event('PPME_SYSCALL_EXECVE_19_X', 10, { res: 0 });
    expect(src.extract(field)).toBe('sh');
    h.event('PPME_SYSCALL_EXECVE_19_X', 11, { res: 0 });
    expect(src.extract(field)).toBe('cat');
    expect(src.extractForOutput(field)).toBe('cat');
  });

  it('gives ancestor lists to conditions and joined text to outputs', () => {
    const h = new Harness();
    h.thread({ tid: 1, ptid: 0, comm: 'init' });
    h.thread({ tid: 5, ptid: 1, comm: 'sshd' });
    h.thread({ tid: 10, ptid: 5, comm: 'bash' });
    const src = new SyscallFieldSource(h.ctx);
    const field = { kind: 'field', field: SYSCALL_FIELDS.find((f) => f.name === 'proc.aname')!, type: 'CHARBUF', isList: false } as TypedField;
    h.event('PPME_SYSCALL_EXECVE_19_X', 10, { res: 0 });
    expect(src.extract(field)).toEqual(['sshd', 'init']);
    expect(src.extractForOutput(field)).toBe('sshd init');
  });
});
