import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readCapture, readCaptureTables, type CaptureTables } from '../../../runtime/capture/capture-reader.ts';
import { CaptureWriter } from '../../../runtime/capture/capture-writer.ts';
import { CaptureError } from '../../../runtime/capture/capture-error.ts';
import { EventEncoder } from '../../../runtime/capture/event-encoder.ts';
import { DUMP_FLAG_LARGE, DUMP_FLAG_STATE_ONLY } from '../../../runtime/capture/block-types.ts';
import type { EventSlice } from '../../../runtime/capture/capture-types.ts';
import { curlCapture, digestEvents, memorySink, mixedCapture, tempDir, walkBlocks } from './capture-fixtures.ts';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

/** Writes the tables the way libscap's dumper does: every thread gets an fd list block. */
function writeTables(w: CaptureWriter, t: CaptureTables): void {
  if (t.machine) w.writeMachineInfo(t.machine);
  w.writeInterfaces(t.interfaces);
  w.writeUsers(t.users, t.groups);
  w.writeThreads(t.threads);
  for (const th of t.threads) w.writeFdList(th.tid, t.fds.filter((f) => f.tid === th.tid));
}

/** Copies a capture through reader and writer; returns the new file's path. */
async function copyCapture(source: string, target: string, gzip: boolean): Promise<void> {
  const tables = await readCaptureTables(source);
  const w = new CaptureWriter(target, { gzip });
  writeTables(w, tables);
  await readCapture(source, { event: (s) => void w.writeEventSlice(s) });
  await w.close();
}

describe('CaptureWriter round trip', () => {
  it('mixed.scap.gz: every event byte-identical, tables equal, the whole file identical to Falco’s', async () => {
    const out = join(tmp.dir, 'mixed-copy.scap');
    await copyCapture(mixedCapture, out, false);
    expect(await digestEvents(out)).toEqual(await digestEvents(mixedCapture));
    expect(await readCaptureTables(out)).toEqual(await readCaptureTables(mixedCapture));
    // Falco wrote the same layout we write, so re-encoding gives back its bytes exactly.
    const original = gunzipSync(readFileSync(mixedCapture));
    const copy = readFileSync(out);
    expect(copy.length).toBe(original.length);
    expect(copy.equals(original)).toBe(true);
  });

  it('curl_google.scap (old layouts) → current layout, gzip-compressed: events and tables survive', async () => {
    const out = join(tmp.dir, 'curl-copy.scap.gz');
    await copyCapture(curlCapture, out, true);
    expect(readFileSync(out).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const copy = await digestEvents(out);
    expect(copy.events).toBe(1536);
    expect(copy).toEqual(await digestEvents(curlCapture));
    const tables = await readCaptureTables(out);
    const original = await readCaptureTables(curlCapture);
    expect({ ...tables, section: undefined }).toEqual({ ...original, section: undefined });
    expect(tables.section).toEqual({ littleEndian: true, major: 1, minor: 2 });
  });

  it('writes the current block types, in libscap’s order', async () => {
    const { sink, bytes } = memorySink();
    const w = new CaptureWriter(sink);
    writeTables(w, await readCaptureTables(curlCapture));
    const enc = new EventEncoder();
    const ev = enc.encode(1n, 2n, 5, [0n, 3n]);
    w.writeEvent(ev);
    w.writeEvent(ev, 0, ev.length, 1, DUMP_FLAG_STATE_ONLY);
    await w.close();
    const types = [...new Set(walkBlocks(bytes()).map((b) => b.type.toString(16)))];
    expect(types).toEqual(['a0d0d0a', '201', '219', '220', '215', '218', '216', '217']);
  });
});

describe('CaptureWriter events', () => {
  it('keeps cpu and flags; uses LARGE blocks for LARGE_PAYLOAD types and oversized events', async () => {
    const { sink, bytes } = memorySink();
    const w = new CaptureWriter(sink);
    const enc = new EventEncoder();
    const small = Buffer.from(enc.encode(10n, 7n, 5, [0n, 3n]));
    const async = Buffer.from(enc.encode(11n, 7n, 402, [1, 'container', Buffer.from('{"id":"abc"}')]));
    // an execve whose args, env and cgroups together exceed libscap's 64 KiB event buffer
    const big = Buffer.from(enc.encodeNamed(12n, 7n, 293, { args: 'a'.repeat(30_000), env: 'b'.repeat(30_000), cgroups: 'c'.repeat(30_000) }));
    expect(big.length).toBeGreaterThan(65_536);
    w.writeEvent(small, 0, small.length, 3, 0);
    w.writeEvent(small, 0, small.length, 3, DUMP_FLAG_STATE_ONLY);
    w.writeEvent(async, 0, undefined, 0, 0);
    w.writeEvent(big, 0, undefined, 1, 0);
    w.writeEvent(small, 0, undefined, 2, DUMP_FLAG_LARGE | DUMP_FLAG_STATE_ONLY);
    await w.close();
    const file = bytes();
    expect(walkBlocks(file).map((b) => b.type.toString(16))).toEqual(['a0d0d0a', '216', '217', '221', '221', '222']);
    const seen: { cpu: number; flags: number; bytes: Buffer }[] = [];
    await readCapture(file, { event: (s: EventSlice) => void seen.push({ cpu: s.cpu, flags: s.flags, bytes: Buffer.from(s.data.subarray(s.offset, s.offset + s.length)) }) });
    expect(seen).toEqual([
      { cpu: 3, flags: 0, bytes: small },
      { cpu: 3, flags: DUMP_FLAG_STATE_ONLY, bytes: small },
      { cpu: 0, flags: 0, bytes: async },
      { cpu: 1, flags: 0, bytes: big },
      { cpu: 2, flags: DUMP_FLAG_STATE_ONLY, bytes: small },
    ]);
  });

  it('rejects events that do not match their own header', () => {
    const w = new CaptureWriter(memorySink().sink);
    const ev = new EventEncoder().encode(1n, 2n, 5, [0n, 3n]);
    expect(() => w.writeEvent(ev, 0, ev.length - 1)).toThrow(CaptureError);
    expect(() => w.writeEvent(ev.subarray(0, 20))).toThrow(/fewer than 26 bytes/);
    expect(() => w.writeEvent(ev.subarray(0, ev.length - 2))).toThrow(/header says/);
    const be = new CaptureWriter(memorySink().sink, { littleEndian: false });
    expect(() => be.writeEvent(ev)).toThrow(/wrong byte order/);
    void w.close();
    void be.close();
  });

  it('reports destination errors on close', async () => {
    const w = new CaptureWriter(join(tmp.dir, 'no/such/dir/file.scap'));
    await expect(w.close()).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('can be drained while writing', async () => {
    const out = join(tmp.dir, 'drain.scap');
    const w = new CaptureWriter(out, { bufferSize: 4096 });
    const enc = new EventEncoder();
    for (let i = 0; i < 20_000; i++) {
      const ev = enc.encode(BigInt(i), 1n, 9, [100n, Buffer.alloc(100, 0x62), 1n, 100]);
      if (!w.writeEvent(ev)) await w.drain();
    }
    await w.close();
    expect((await digestEvents(out)).events).toBe(20_000);
  });
});
