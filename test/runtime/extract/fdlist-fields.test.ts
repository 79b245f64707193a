import { describe, expect, it } from 'vitest';
import { Harness, fdOf } from './harness.ts';

function fdlist(entries: [number, number][]): Uint8Array {
  const b = new Uint8Array(2 + entries.length * 10);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, entries.length, true);
  entries.forEach(([fd, flags], i) => {
    dv.setBigInt64(2 + i * 10, BigInt(fd), true);
    dv.setInt16(10 + i * 10, flags, true);
  });
  return b;
}

describe('fdlist fields and FDLIST parameters', () => {
  it('list the polled fds', () => {
    const h = new Harness();
    const t = h.thread({ tid: 10 });
    t.fds.set(3, fdOf({ type: 'file', name: '/var/log/x' }));
    h.event('PPME_SYSCALL_POLL_X', 10, { res: 1, fds: fdlist([[3, 1], [9, 4]]), timeout: 100n });
    expect(h.get('fdlist.nums')).toBe('3,9');
    expect(h.get('fdlist.names')).toBe('/var/log/x');
    expect(h.get('fdlist.cips')).toBeUndefined();
    expect(h.get('evt.arg.fds')).toBe('3:f1 9:?4');
  });
});
