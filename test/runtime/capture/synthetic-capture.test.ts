import { describe, expect, it } from 'vitest';
import { readCapture, readCaptureTables } from '../../../runtime/capture/capture-reader.ts';
import { generateCapture, syntheticTables } from '../../../runtime/capture/synthetic-capture.ts';
import { EventView } from '../../../runtime/events/event-view.ts';
import { digestEvents, memorySink } from './capture-fixtures.ts';

describe('generateCapture', () => {
  it('writes the tables and events it promises, each event valid per the event table', async () => {
    const { sink, bytes } = memorySink();
    const result = await generateCapture(sink, { events: 20_000, threads: 40, seed: 9 });
    const file = bytes();
    expect(result).toEqual({ events: 20_000, threads: 40, bytes: file.length });

    const tables = await readCaptureTables(file);
    const expected = syntheticTables({ threads: 40, seed: 9 });
    expect(tables.threads).toEqual(expected.threads);
    expect(tables.fds).toEqual(expected.fds);
    expect(tables.users).toEqual(expected.users);
    expect(tables.groups).toEqual(expected.groups);
    expect(tables.interfaces).toEqual(expected.interfaces);
    expect(tables.machine).toEqual(expected.machine);
    expect(new Set(tables.fds.map((f) => f.type))).toEqual(
      new Set(['file_v2', 'ipv4_servsock', 'ipv6_servsock', 'eventpoll', 'unix_sock', 'directory', 'ipv4_sock', 'fifo', 'event']),
    );

    const view = new EventView();
    const counts = new Map<string, number>();
    const tids = new Set(expected.threads.map((t) => t.tid));
    let lastTs = 0n;
    const open = new Map<number, Set<number>>(); // pid → fds opened by openat and still open
    const pidOf = new Map(expected.threads.map((t) => [t.tid, Number(t.pid)]));
    await readCapture(file, {
      event: (s) => {
        view.reset(s.data, s.offset, s.length, s.littleEndian);
        expect(view.nparams).toBe(view.paramInfo.length);
        let end = 26 + 2 * view.nparams;
        for (let i = 0; i < view.nparams; i++) end += view.paramLength(i);
        expect(end).toBe(view.length);
        expect(view.ts > lastTs).toBe(true);
        lastTs = view.ts;
        expect(tids.has(BigInt(view.tid))).toBe(true);
        expect(s.cpu).toBeLessThan(4);
        counts.set(view.name, (counts.get(view.name) ?? 0) + 1);
        const fds = open.get(pidOf.get(BigInt(view.tid))!) ?? new Set<number>();
        open.set(pidOf.get(BigInt(view.tid))!, fds);
        if (view.name === 'openat' && view.int(0) >= 0) {
          expect(fds.has(view.int(0))).toBe(false); // a new fd is never one still open
          fds.add(view.int(0));
          expect(view.str(2).startsWith('/')).toBe(true);
        }
        if (view.name === 'close' && view.int(0) === 0) fds.delete(view.int(1));
        if (view.name === 'execve') {
          fds.clear(); // the generator lets exec close the files (O_CLOEXEC)
          expect(view.strings(view.paramIndex('args')).length).toBeGreaterThan(0);
          expect(view.str(view.paramIndex('filename'))).toMatch(/^\/usr\/bin\//);
        }
      },
    });
    const share = (name: string): number => (counts.get(name) ?? 0) / 20_000;
    expect(share('openat')).toBeGreaterThan(0.15);
    expect(share('read')).toBeGreaterThan(0.18);
    expect(share('write')).toBeGreaterThan(0.14);
    expect(share('close')).toBeGreaterThan(0.15);
    expect(share('connect')).toBeGreaterThan(0.02);
    expect(share('socket')).toBeCloseTo(share('connect'), 5);
    expect(share('execve')).toBeGreaterThan(0.02);
  });

  it('is deterministic for a seed, and gzip changes only the encoding', async () => {
    const a = memorySink();
    const b = memorySink();
    const c = memorySink();
    await generateCapture(a.sink, { events: 2000, seed: 5 });
    await generateCapture(b.sink, { events: 2000, seed: 5 });
    await generateCapture(c.sink, { events: 2000, seed: 5, gzip: true });
    expect(a.bytes().equals(b.bytes())).toBe(true);
    expect(c.bytes().subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(c.bytes().length).toBeLessThan(a.bytes().length / 2);
    expect(await digestEvents(c.bytes())).toEqual(await digestEvents(a.bytes()));
  });
});
