// readCapture: streams a .scap capture (plain or gzip-compressed, recognised by its magic)
// from a file, a stream or a buffer through the block parser, in chunks, so memory stays
// bounded whatever the file size.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FdRecord, GroupRecord, InterfaceRecord, MachineInfo, SectionHeader, ThreadRecord, UserRecord } from './capture-types.ts';
import { CaptureError } from './capture-error.ts';
import { CaptureParser, type CaptureHandlers } from './capture-parser.ts';

export type { CaptureHandlers, UnknownBlock } from './capture-parser.ts';

/** A path, a byte stream, or the capture's bytes. */
export type CaptureSource = string | Readable | Uint8Array;

export interface ReadCaptureOptions {
  /** Read size for files and decompression output size (default 1 MiB). */
  chunkSize?: number;
  /** Largest block accepted (default 256 MiB); a longer one is reported as corrupt. */
  maxBlockSize?: number;
  /** Size of the source in bytes, for progress, when it is a stream (files are measured). */
  totalBytes?: number;
  /** Called after each chunk, for progress bars. */
  onProgress?(progress: CaptureProgress): void;
}

export interface CaptureProgress {
  /** Bytes consumed from the source (compressed bytes for a gzip file). */
  bytesRead: number;
  /** Size of the source when known. */
  totalBytes: number | undefined;
  /** Bytes of the (decompressed) capture parsed so far. */
  bytesParsed: number;
  compressed: boolean;
}

export interface CaptureSummary {
  events: number;
  /** Events of types unknown to this build's event table, skipped like libscap does. */
  skippedEvents: number;
  blocks: number;
  sections: number;
  /** Bytes of the (decompressed) capture parsed. */
  bytesParsed: number;
  compressed: boolean;
  /** A handler returned false before the end. */
  stopped: boolean;
}

const DEFAULT_CHUNK = 1024 * 1024;

/**
 * Reads a capture, calling `handlers` for each table record and event in file order.
 * Malformed input throws a CaptureError naming the problem and its byte offset; errors of
 * the source (missing file…) and of the handlers propagate unchanged.
 */
export async function readCapture(source: CaptureSource, handlers: CaptureHandlers, options: ReadCaptureOptions = {}): Promise<CaptureSummary> {
  const parser = new CaptureParser(handlers, options.maxBlockSize);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  let compressed = false;
  let totalBytes = options.totalBytes;
  let bytesRead = (): number => parser.offset;
  const progress = (): void =>
    options.onProgress?.({ bytesRead: bytesRead(), totalBytes, bytesParsed: parser.offset, compressed });

  if (source instanceof Uint8Array && !isGzip(source)) {
    totalBytes = source.length;
    parser.push(asBuffer(source));
    progress();
  } else {
    let raw: Readable;
    if (typeof source === 'string') {
      totalBytes = (await stat(source)).size;
      raw = createReadStream(source, { highWaterMark: chunkSize });
    } else if (source instanceof Uint8Array) {
      totalBytes = source.length;
      raw = Readable.from([asBuffer(source)], { objectMode: false });
    } else {
      raw = source;
    }
    const it: AsyncIterator<unknown> = raw[Symbol.asyncIterator]();
    let finished = false;
    try {
      const first = await readAtLeast(it, 2);
      finished = first.done;
      compressed = isGzip(first.bytes);
      if (!compressed) {
        let read = first.bytes.length;
        bytesRead = () => read;
        if (first.bytes.length > 0) parser.push(first.bytes);
        progress();
        while (!finished && !parser.stopped) {
          const r = await it.next();
          if (r.done) {
            finished = true;
            break;
          }
          const chunk = asBuffer(r.value);
          read += chunk.length;
          parser.push(chunk);
          progress();
        }
      } else {
        finished = true; // the pipeline below owns the iterator from here on
        const gunzip = createGunzip({ chunkSize });
        bytesRead = () => gunzip.bytesWritten;
        pipeline(Readable.from(prepend(first.bytes, it, first.done), { objectMode: false }), gunzip, () => {});
        try {
          for await (const chunk of gunzip) {
            parser.push(chunk as Buffer);
            progress();
            if (parser.stopped) break;
          }
        } catch (err) {
          if (isZlibError(err)) {
            throw new CaptureError(
              `gzip data is corrupt or truncated (near compressed byte ${gunzip.bytesWritten}, after ${parser.offset} decompressed bytes): ${err.message}`,
              parser.offset,
            );
          }
          throw err;
        }
      }
    } finally {
      if (!finished) await it.return?.();
    }
  }
  if (!parser.stopped) parser.end();
  return {
    events: parser.events,
    skippedEvents: parser.skippedEvents,
    blocks: parser.blocks,
    sections: parser.sections,
    bytesParsed: parser.offset,
    compressed,
    stopped: parser.stopped,
  };
}

/** The tables at the head of a capture (its first section), read up to the first event. */
export interface CaptureTables {
  section: SectionHeader | undefined;
  machine: MachineInfo | undefined;
  threads: ThreadRecord[];
  fds: FdRecord[];
  users: UserRecord[];
  groups: GroupRecord[];
  interfaces: InterfaceRecord[];
}

export async function readCaptureTables(source: CaptureSource, options: ReadCaptureOptions = {}): Promise<CaptureTables> {
  const t: CaptureTables = { section: undefined, machine: undefined, threads: [], fds: [], users: [], groups: [], interfaces: [] };
  await readCapture(
    source,
    {
      section: (h) => (t.section ??= h),
      machineInfo: (m) => (t.machine = m),
      thread: (x) => t.threads.push(x),
      fd: (x) => t.fds.push(x),
      user: (x) => t.users.push(x),
      group: (x) => t.groups.push(x),
      networkInterface: (x) => t.interfaces.push(x),
      event: () => false,
    },
    options,
  );
  return t;
}

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'latin1');
  throw new TypeError(`capture source produced a ${typeof chunk} chunk; expected bytes`);
}

/** Reads chunks until at least `n` bytes are in hand (or the stream ends). */
async function readAtLeast(it: AsyncIterator<unknown>, n: number): Promise<{ bytes: Buffer; done: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < n) {
    const r = await it.next();
    if (r.done) return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), done: true };
    const b = asBuffer(r.value);
    parts.push(b);
    length += b.length;
  }
  return { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts), done: false };
}

async function* prepend(first: Buffer, it: AsyncIterator<unknown>, done: boolean): AsyncGenerator<Buffer> {
  try {
    yield first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield asBuffer(r.value);
    }
  } finally {
    if (!done) await it.return?.();
  }
}

function isZlibError(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false;
  const code: unknown = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}
