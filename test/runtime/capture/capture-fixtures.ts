// Shared pieces of the capture tests: where the real captures are, event digests, an
// in-memory sink for the writer, and a raw block walker/builder for corrupting files.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { sharedDir } from '../../paths.ts';
import { readCapture, type CaptureSource, type ReadCaptureOptions } from '../../../runtime/capture/capture-reader.ts';

export const curlCapture = resolve(sharedDir, 'upstream/captures/curl_google.scap');
export const mixedCapture = resolve(sharedDir, 'oracle/mixed.scap.gz');

export interface EventDigest {
  events: number;
  /** sha256 over every event's cpu, flags and bytes, in order. */
  digest: string;
}

export async function digestEvents(source: CaptureSource, options?: ReadCaptureOptions): Promise<EventDigest> {
  const hash = createHash('sha256');
  const meta = Buffer.alloc(6);
  let events = 0;
  await readCapture(
    source,
    {
      event: (s) => {
        meta.writeUInt16LE(s.cpu, 0);
        meta.writeUInt32LE(s.flags, 2);
        hash.update(meta);
        hash.update(s.data.subarray(s.offset, s.offset + s.length));
        events++;
      },
    },
    options,
  );
  return { events, digest: hash.digest('hex') };
}

/** A Writable that keeps what it is given. */
export function memorySink(): { sink: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(Buffer.from(chunk));
      cb();
    },
  });
  return { sink, bytes: () => Buffer.concat(parts) };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'falcoc-capture-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RawBlock {
  type: number;
  offset: number;
  length: number;
}

/** The blocks of a well-formed, uncompressed capture (no checks: test inputs only). */
export function walkBlocks(bytes: Uint8Array, littleEndian = true): RawBlock[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: RawBlock[] = [];
  for (let at = 0; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at + 4, littleEndian);
    blocks.push({ type: view.getUint32(at, littleEndian), offset: at, length });
    at += length;
  }
  return blocks;
}

/** A framed block: header, body, zero padding, trailer. */
export function rawBlock(type: number, body: Uint8Array, littleEndian = true): Buffer {
  const total = 8 + body.length + ((4 - (body.length % 4)) % 4) + 4;
  const b = Buffer.alloc(total);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  view.setUint32(0, type, littleEndian);
  view.setUint32(4, total, littleEndian);
  b.set(body, 8);
  view.setUint32(total - 4, total, littleEndian);
  return b;
}

/** Deterministic PRNG for the fuzz loops. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A section header block (byte-order magic, version, unknown section length). */
export function sectionHeaderBlock(littleEndian = true, major = 1, minor = 2): Buffer {
  const body = Buffer.alloc(16);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  view.setUint32(0, 0x1a2b3c4d, littleEndian);
  view.setUint16(4, major, littleEndian);
  view.setUint16(6, minor, littleEndian);
  view.setBigInt64(8, -1n, littleEndian);
  return rawBlock(0x0a0d0d0a, body, littleEndian);
}

/** A capture made of a section header and the given blocks. */
export function captureOf(blocks: readonly Uint8Array[], littleEndian = true): Buffer {
  return Buffer.concat([sectionHeaderBlock(littleEndian), ...blocks]);
}
