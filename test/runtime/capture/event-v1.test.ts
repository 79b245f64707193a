// Old event blocks (no nparams in the event header) are upgraded to the current header.
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../runtime/capture/capture-reader.ts';
import { EventEncoder } from '../../../runtime/capture/event-encoder.ts';
import { captureOf, rawBlock } from './capture-fixtures.ts';

/** The event without its nparams field (the v1 layout), with `extraLen` added to its length. */
function v1Event(ev: Uint8Array, extraLen = 0): Buffer {
  const b = Buffer.concat([ev.subarray(0, 22), ev.subarray(26)]);
  b.writeUInt32LE(b.length + extraLen, 16);
  return b;
}

function eventBlock(type: number, ev: Uint8Array, cpu: number, flags?: number): Buffer {
  const prefix = Buffer.alloc(flags === undefined ? 2 : 6);
  prefix.writeUInt16LE(cpu, 0);
  if (flags !== undefined) prefix.writeUInt32LE(flags, 2);
  return rawBlock(type, Buffer.concat([prefix, ev]));
}

async function events(file: Buffer): Promise<{ cpu: number; flags: number; bytes: Buffer }[]> {
  const out: { cpu: number; flags: number; bytes: Buffer }[] = [];
  await readCapture(file, { event: (s) => void out.push({ cpu: s.cpu, flags: s.flags, bytes: Buffer.from(s.data.subarray(s.offset, s.offset + s.length)) }) });
  return out;
}

describe('v1 event blocks', () => {
  const enc = new EventEncoder();
  const close = Buffer.from(enc.encode(5n, 9n, 5, [0n, 3n]));
  const openat = Buffer.from(enc.encode(6n, 9n, 307, [3n, -100n, '/etc/passwd', 1, 0, 0, 0n]));

  it('0x204, 0x8010ABCD and 0x208 (with flags) give the v2 event', async () => {
    const file = captureOf([
      eventBlock(0x204, v1Event(close), 1),
      eventBlock(0x8010abcd, v1Event(openat), 2),
      eventBlock(0x208, v1Event(openat), 3, 1),
    ]);
    expect(await events(file)).toEqual([
      { cpu: 1, flags: 0, bytes: close },
      { cpu: 2, flags: 0, bytes: openat },
      { cpu: 3, flags: 1, bytes: openat },
    ]);
  });

  it('fewer parameters than the table lists (an older layout) are counted from the lengths', async () => {
    // close exit with only its first parameter: the count is found by trying 2, then 1
    const short = Buffer.from(enc.encode(5n, 9n, 5, [0n, 3n]));
    const v1 = Buffer.concat([short.subarray(0, 22), short.subarray(26, 28), short.subarray(30, 38)]);
    v1.writeUInt32LE(v1.length, 16);
    const [ev] = await events(captureOf([eventBlock(0x204, v1, 0)]));
    expect(ev!.bytes.readUInt32LE(22)).toBe(1);
    expect(ev!.bytes.readUInt32LE(16)).toBe(v1.length + 4);
  });

  it('notification events with the old overstated length are corrected like libscap does', async () => {
    const notification = Buffer.from(enc.encode(7n, 9n, 280, ['abc', 'hello']));
    const [ev] = await events(captureOf([eventBlock(0x204, v1Event(notification, 3), 0)]));
    expect(ev!.bytes).toEqual(notification);
  });

  it('parameters that cannot fill the event are a CaptureError', async () => {
    const bad = v1Event(close);
    bad.writeUInt16LE(1, 22); // first parameter length 1 instead of 8
    await expect(events(captureOf([eventBlock(0x204, bad, 0)]))).rejects.toThrow(/cannot upgrade its old-format event of type 5/);
  });
});
