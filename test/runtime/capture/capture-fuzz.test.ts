// Corrupt captures must end in success or a CaptureError with an offset — never another
// exception, never a hang. Seeded, so a failure reproduces.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readCapture } from '../../../runtime/capture/capture-reader.ts';
import { CaptureError } from '../../../runtime/capture/capture-error.ts';
import { generateCapture } from '../../../runtime/capture/synthetic-capture.ts';
import { curlCapture, memorySink, seededRandom, walkBlocks, type RawBlock } from './capture-fixtures.ts';

const EVENT_BLOCK_TYPES = new Set([0x204, 0x208, 0x216, 0x217, 0x221, 0x222]);

interface Outcome {
  events: number;
  error?: CaptureError;
}

/** Reads `input`, checking every slice handed out; returns the events seen or the CaptureError. */
async function outcome(input: Uint8Array | Readable): Promise<Outcome> {
  let events = 0;
  try {
    await readCapture(input, {
      event: (s) => {
        if (s.offset < 0 || s.offset + s.length > s.data.length) throw new Error('slice out of bounds');
        if (s.view!.getUint32(s.offset + 16, s.littleEndian) !== s.length) throw new Error('slice length differs from the event header');
        events++;
      },
      thread: (t) => void t.args.join(),
      fd: (f) => void f.name?.length,
    });
    return { events };
  } catch (err) {
    if (!(err instanceof CaptureError)) throw err;
    expect(Number.isInteger(err.offset) && err.offset >= 0).toBe(true);
    expect(err.message).toMatch(/^capture: .*byte \d+/);
    return { events, error: err };
  }
}

function chunked(bytes: Uint8Array, rand: () => number): Readable {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + Math.floor(rand() * 300);
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  return Readable.from(chunks);
}

let synthetic: Buffer;
let syntheticBlocks: RawBlock[];
let curl: Buffer;
let curlBlocks: RawBlock[];

beforeAll(async () => {
  const { sink, bytes } = memorySink();
  await generateCapture(sink, { events: 300, threads: 20, seed: 11 });
  synthetic = bytes();
  syntheticBlocks = walkBlocks(synthetic);
  curl = gunzipSync(readFileSync(curlCapture));
  curlBlocks = walkBlocks(curl);
});

describe('truncated captures', () => {
  it('at every block boundary: fine, with the events before the cut', { timeout: 20_000 }, async () => {
    let eventsBefore = 0;
    for (const b of [...syntheticBlocks, { type: 0, offset: synthetic.length, length: 0 }]) {
      const r = await outcome(synthetic.subarray(0, b.offset));
      if (b.offset === 0) expect(r.error?.message).toMatch(/empty/);
      else expect(r).toEqual({ events: eventsBefore });
      if (EVENT_BLOCK_TYPES.has(b.type)) eventsBefore++;
    }
    expect(eventsBefore).toBe(300);
  });

  it('inside every block: a CaptureError at that block', { timeout: 20_000 }, async () => {
    for (const b of syntheticBlocks) {
      for (const cut of new Set([1, 4, 11, 12, b.length >> 1, b.length - 1])) {
        if (cut <= 0 || cut >= b.length) continue;
        const r = await outcome(synthetic.subarray(0, b.offset + cut));
        expect(r.error?.message).toMatch(/truncated|past the end/);
        expect(r.error?.offset).toBe(b.offset);
      }
    }
  });

  it('at random offsets of a real capture, whole or streamed in small chunks', { timeout: 20_000 }, async () => {
    const rand = seededRandom(1);
    for (let i = 0; i < 300; i++) {
      const cut = Math.floor(rand() * curl.length);
      const whole = await outcome(curl.subarray(0, cut));
      const boundary = curlBlocks.some((b) => b.offset === cut);
      expect(whole.error === undefined).toBe(boundary && cut > 0);
      if (i % 10 === 0) {
        const streamed = await outcome(chunked(curl.subarray(0, cut), rand));
        expect(streamed.events).toBe(whole.events);
        expect(streamed.error?.message).toBe(whole.error?.message);
      }
    }
  });

  it('gzip-compressed and cut short: a CaptureError', { timeout: 20_000 }, async () => {
    const gz = gzipSync(synthetic);
    const rand = seededRandom(2);
    for (let i = 0; i < 40; i++) {
      const r = await outcome(gz.subarray(0, 2 + Math.floor(rand() * (gz.length - 10))));
      expect(r.error).toBeInstanceOf(CaptureError);
    }
  });
});

describe('corrupted captures', () => {
  it('random bit flips end in success or a CaptureError', { timeout: 20_000 }, async () => {
    const rand = seededRandom(3);
    let errors = 0;
    for (let i = 0; i < 1500; i++) {
      const base = i % 2 === 0 ? synthetic : curl;
      const blocks = i % 2 === 0 ? syntheticBlocks : curlBlocks;
      const bytes = Buffer.from(base);
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) {
        // half of the flips aim at block headers and the table blocks, where structure lives
        let at: number;
        if (rand() < 0.5) {
          const b = blocks[Math.floor(rand() * Math.min(blocks.length, 80))]!;
          at = b.offset + Math.floor(rand() * Math.min(b.length, 64));
        } else {
          at = Math.floor(rand() * bytes.length);
        }
        bytes[at]! ^= 1 << Math.floor(rand() * 8);
      }
      const whole = await outcome(bytes);
      if (whole.error) errors++;
      if (i % 25 === 0) {
        const streamed = await outcome(chunked(bytes, rand));
        expect(streamed.error?.message).toBe(whole.error?.message);
        expect(streamed.events).toBe(whole.events);
      }
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('block lengths that are impossible, disagree with the trailer or point past the end', { timeout: 20_000 }, async () => {
    const rand = seededRandom(4);
    for (let i = 0; i < 300; i++) {
      const b = syntheticBlocks[Math.floor(rand() * syntheticBlocks.length)]!;
      const bytes = Buffer.from(synthetic);
      const bogus = [0, 11, b.length - 4, b.length + 4, 0xfffffff0, synthetic.length - b.offset + 4, 1 + Math.floor(rand() * 0xffffffff)];
      const value = bogus[i % bogus.length]!;
      bytes.writeUInt32LE(value >>> 0, b.offset + 4);
      const r = await outcome(bytes);
      expect(r.error?.message).toMatch(/impossible|does not match its trailer|past the end|exceeds the limit|not 0x1a2b3c4d/);
    }
    // the exact message for the classic case
    const last = syntheticBlocks.at(-1)!;
    const bytes = Buffer.from(synthetic);
    bytes.writeUInt32LE(99_999, last.offset + 4);
    const r = await outcome(bytes);
    expect(r.error?.message).toBe(
      `capture: event block at byte ${last.offset}: length 99999 points past the end of the file, which has ${last.length} bytes left (is it truncated?)`,
    );
  });

  it('impossible lengths inside table blocks', async () => {
    const plBlock = syntheticBlocks.find((b) => b.type === 0x215)!;
    // first entry: length u32, tid, pid, ptid, sid, vpgid (5 × 8), then the comm length
    const commLength = plBlock.offset + 8 + 4 + 40;
    let bytes = Buffer.from(synthetic);
    bytes.writeUInt16LE(0xffff, commLength);
    expect((await outcome(bytes)).error?.message).toMatch(
      new RegExp(`^capture: process list block at byte ${plBlock.offset}: entry at byte ${plBlock.offset + 8}: comm length 65535 is impossible`),
    );
    bytes = Buffer.from(synthetic);
    bytes.writeUInt32LE(20, plBlock.offset + 8); // entry length shorter than the entry's fields
    expect((await outcome(bytes)).error?.message).toMatch(/entry length 20 is shorter than its fixed fields/);
    bytes = Buffer.from(synthetic);
    bytes.writeUInt32LE(0xffffff, plBlock.offset + 8); // entry length running past the block
    expect((await outcome(bytes)).error?.message).toMatch(/needs \d+ bytes but only \d+ are left in the block/);

    const fdBlock = syntheticBlocks.find((b) => b.type === 0x218 && b.length > 20)!;
    bytes = Buffer.from(synthetic);
    bytes.writeUInt32LE(3, fdBlock.offset + 16); // first entry's length
    expect((await outcome(bytes)).error?.message).toMatch(/^capture: fd list block at byte \d+: entry at byte \d+: entry length 3 is shorter/);

    const ifBlock = syntheticBlocks.find((b) => b.type === 0x219)!;
    bytes = Buffer.from(synthetic);
    bytes.writeUInt16LE(9, ifBlock.offset + 12); // first entry's kind
    expect((await outcome(bytes)).error?.message).toMatch(/unknown interface kind 9/);

    const ulBlock = syntheticBlocks.find((b) => b.type === 0x220)!;
    bytes = Buffer.from(synthetic);
    bytes.writeUInt16LE(300, ulBlock.offset + 8 + 4 + 1 + 8); // first user's name length
    expect((await outcome(bytes)).error?.message).toMatch(/user name length 300 is impossible/);

    const miBlock = syntheticBlocks.find((b) => b.type === 0x201)!;
    const shortMi = Buffer.concat([synthetic.subarray(0, miBlock.offset), Buffer.from([1, 2, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0]), synthetic.subarray(miBlock.offset)]);
    shortMi.writeUInt32LE(0x201, miBlock.offset);
    shortMi.writeUInt32LE(12, miBlock.offset + 8);
    expect((await outcome(shortMi)).error?.message).toMatch(/shorter than the 180-byte machine info/);
  });

  it('an event whose header length disagrees with its block', async () => {
    const ev = syntheticBlocks.find((b) => b.type === 0x216)!;
    for (const delta of [-5, 4, 1000]) {
      const bytes = Buffer.from(synthetic);
      const len = bytes.readUInt32LE(ev.offset + 10 + 16);
      bytes.writeUInt32LE(len + delta, ev.offset + 10 + 16);
      const r = await outcome(bytes);
      expect(r.error?.message).toMatch(new RegExp(`^capture: event block at byte ${ev.offset}: the event's length \\d+ disagrees with its block`));
      expect(r.error?.offset).toBe(ev.offset + 10 + 16);
    }
  });

  it('bad magic, unknown versions, garbage', { timeout: 20_000 }, async () => {
    let bytes = Buffer.from(synthetic);
    bytes.writeUInt32LE(0x12345678, 8);
    expect((await outcome(bytes)).error?.message).toMatch(/byte-order magic 0x12345678 is not 0x1a2b3c4d/);
    bytes = Buffer.from(synthetic);
    bytes.writeUInt16LE(2, 12);
    expect((await outcome(bytes)).error?.message).toMatch(/format version 2\.2 is newer than this reader/);
    const rand = seededRandom(5);
    for (let i = 0; i < 200; i++) {
      const garbage = Buffer.alloc(Math.floor(rand() * 2000));
      for (let j = 0; j < garbage.length; j++) garbage[j] = Math.floor(rand() * 256);
      // sometimes behind a valid section header, so the parser gets past the magic
      const input = i % 2 === 0 ? garbage : Buffer.concat([synthetic.subarray(0, 28), garbage]);
      await outcome(input);
      await outcome(gzipSync(input));
    }
  });
});
