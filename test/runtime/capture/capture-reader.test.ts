import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { readCapture, readCaptureTables, type CaptureProgress } from '../../../runtime/capture/capture-reader.ts';
import { CaptureError } from '../../../runtime/capture/capture-error.ts';
import { EventView } from '../../../runtime/events/event-view.ts';
import { generateCapture, syntheticTables } from '../../../runtime/capture/synthetic-capture.ts';
import { curlCapture, digestEvents, memorySink, mixedCapture, rawBlock, seededRandom, tempDir, walkBlocks } from './capture-fixtures.ts';

const USER_ADDED_E = 354;
const GROUP_ADDED_E = 358;

let tmp: ReturnType<typeof tempDir>;
let mixedPlain: string;

beforeAll(async () => {
  tmp = tempDir();
  mixedPlain = join(tmp.dir, 'mixed.scap');
  await pipeline(createReadStream(mixedCapture), createGunzip(), createWriteStream(mixedPlain));
});
afterAll(() => tmp.cleanup());

describe('mixed.scap.gz (Falco 0.44.1 capture dumper)', () => {
  it("reads every event: 420,606 (Falco's Captured Events) plus 74 user/group meta events", async () => {
    const view = new EventView();
    let meta = 0;
    let others = 0;
    let leadingMeta = 0;
    const summary = await readCapture(mixedCapture, {
      event: (s) => {
        view.reset(s.data, s.offset, s.length, s.littleEndian);
        if (view.type === USER_ADDED_E || view.type === GROUP_ADDED_E) {
          meta++;
          // the dumper writes the user table again as meta events (tid -1) at the head
          if (others === 0 && view.tid === -1) leadingMeta++;
        } else {
          others++;
        }
      },
    });
    expect(summary).toEqual({
      events: 420_680,
      skippedEvents: 0,
      blocks: 420_699,
      sections: 1,
      bytesParsed: 38_050_764,
      compressed: true,
      stopped: false,
    });
    expect(others).toBe(420_606);
    expect(meta).toBe(74);
    expect(leadingMeta).toBe(74);
  });

  it('reads the head tables', async () => {
    const t = await readCaptureTables(mixedCapture);
    expect(t.section).toEqual({ littleEndian: true, major: 1, minor: 2 });
    // The oracle's post-processing filter zeroed the machine info block (hostname included).
    expect(t.machine).toMatchObject({ numCpus: 0, hostname: '', memoryBytes: 0n, bootTimeNs: 0n });
    expect(t.threads).toHaveLength(14);
    const cat = t.threads.find((x) => x.tid === 8585n)!;
    expect(cat).toMatchObject({ pid: 8585n, ptid: 8583n, comm: 'cat', exe: 'cat', exepath: '/usr/bin/cat', args: ['/etc/shadow'], cwd: '/', uid: 0 });
    expect(cat.cgroups).toContain('cpuset=/');
    expect(cat.cgroups.some((c) => c.startsWith('memory=/process_api/'))).toBe(true);
    const python = t.threads.find((x) => x.tid === 8584n)!;
    expect(python).toMatchObject({ pid: 8583n, comm: 'python3', exe: '/usr/bin/python3', exepath: '/usr/bin/python3.11' });
    expect(python.args).toEqual(['/opt/oracle-act/activity.py', '--profile', 'mixed', '--seed', '7']);
    // scrubbed ancestors keep their names only
    expect(t.threads.find((x) => x.tid === 8548n)).toMatchObject({ comm: 'capture.sh', args: [], env: [] });
    // the version-9 tail: pgid, vpgid, loginuid are there
    expect(t.threads.find((x) => x.tid === 8549n)).toMatchObject({ comm: 'tail', sid: 2113n, vpgid: 7807n, pgid: 7807n, loginuid: 0xffffffff });

    expect(t.fds).toHaveLength(10);
    expect(t.fds.find((f) => f.tid === 8585n && f.fd === 3n)).toMatchObject({ type: 'file_v2', name: '/etc/shadow', openFlags: 1, ino: 1122n, dev: 0xfe00 });
    expect(t.fds.find((f) => f.tid === 8583n && f.fd === 3n)).toMatchObject({ type: 'ipv4_sock', l4proto: 2 });
    expect(t.fds.find((f) => f.tid === 8583n && f.fd === 251n)).toMatchObject({ type: 'fifo', ino: 107638n });

    expect(t.users).toHaveLength(25);
    expect(t.users[0]).toEqual({ uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/bash', containerId: '' });
    expect(t.groups).toHaveLength(49);
    expect(t.groups[0]).toEqual({ gid: 0, name: 'root', containerId: '' });
    expect(t.interfaces.map((i) => `${i.family}:${i.name}`)).toEqual(['4:lo', '4:eth0', '6:lo', '6:eth0', '6:eth0']);
    expect([...t.interfaces[0]!.addr]).toEqual([127, 0, 0, 1]);
  });

  it('is fast: all events, decompression included, well under 2 s', async () => {
    // warm up the code paths once on the small capture
    await readCapture(curlCapture, { event: () => {} });
    let n = 0;
    const start = performance.now();
    await readCapture(mixedCapture, {
      event: () => {
        n++;
      },
    });
    const ms = performance.now() - start;
    expect(n).toBe(420_680);
    expect(ms).toBeLessThan(2000);
  });

  it('gives the same events plain and gzip-compressed', async () => {
    const gz = await digestEvents(mixedCapture);
    const plain = await digestEvents(mixedPlain);
    expect(plain).toEqual(gz);
  });
});

describe('curl_google.scap (old sysdig capture: process list v5, fd list v1, v1 event blocks)', () => {
  it('upgrades its old-format events to the current header', async () => {
    const view = new EventView();
    const seen = new Set<number>();
    let first = 0n;
    const summary = await readCapture(curlCapture, {
      event: (s) => {
        view.reset(s.data, s.offset, s.length, s.littleEndian); // throws unless nparams fits the event
        if (first === 0n) first = view.ts;
        // the parameter lengths must exactly fill the event
        let end = 26 + 2 * view.nparams;
        for (let i = 0; i < view.nparams; i++) end += view.paramLength(i);
        expect(end).toBe(view.length);
        seen.add(view.type);
      },
    });
    expect(summary.events).toBe(1536);
    expect(summary.compressed).toBe(true);
    expect(first).toBe(1_534_527_342_999_999_999n);
    expect(seen.has(7)).toBe(true); // read exit
    expect(seen.has(3)).toBe(true); // open exit
  });

  it('reads its tables', async () => {
    const t = await readCaptureTables(curlCapture);
    expect(t.section).toEqual({ littleEndian: true, major: 1, minor: 0 });
    expect(t.machine).toMatchObject({ numCpus: 1, hostname: 'ip-10-0-0-79', memoryBytes: 1_038_864_384n });
    expect(t.threads).toHaveLength(54);
    expect(t.threads[0]).toMatchObject({ tid: 1n, pid: 1n, ptid: 0n, comm: 'systemd', exe: '/sbin/init', sid: -1n, vpgid: -1n, pgid: -1n });
    expect(t.threads.find((x) => x.tid === 17495n)).toMatchObject({ comm: 'sudo', args: ['sysdig', '-zw', 'curl.scap', 'proc.name=curl'], cwd: '/home/ubuntu', ptid: 3200n });
    expect(t.threads.find((x) => x.tid === 3200n)).toMatchObject({ comm: 'bash', exe: '-bash', uid: 1000, cwd: '/home/ubuntu' });
    expect(t.threads.every((x) => x.cgroups.length === 12)).toBe(true);
    const types = new Map<string, number>();
    for (const fd of t.fds) types.set(fd.type, (types.get(fd.type) ?? 0) + 1);
    expect(Object.fromEntries(types)).toEqual({
      file: 111, eventpoll: 12, signalfd: 9, directory: 15, timerfd: 12, inotify: 16, unix_sock: 113, fifo: 14,
      ipv4_servsock: 2, ipv6_servsock: 2, event: 8, ipv4_sock: 2,
    });
    expect(t.fds.find((f) => f.tid === 1n && f.fd === 34n)).toMatchObject({ type: 'file', name: '/dev/autofs', ino: 314n });
    expect(t.users).toHaveLength(31);
    expect(t.groups).toHaveLength(55);
  });

  it('reads alike from a path, a buffer and a stream cut into chunks of any size', async () => {
    const gz = readFileSync(curlCapture);
    const plain = gunzipSync(gz);
    const expected = await digestEvents(curlCapture);
    expect(await digestEvents(plain)).toEqual(expected);
    expect(await digestEvents(gz)).toEqual(expected);
    const rand = seededRandom(7);
    for (const maxChunk of [1, 13, 700, 5000]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < plain.length; ) {
        const n = 1 + Math.floor(rand() * maxChunk);
        chunks.push(plain.subarray(at, at + n));
        at += n;
      }
      expect(await digestEvents(Readable.from(chunks))).toEqual(expected);
    }
    // gzip in small pieces too (and a 1-byte first chunk for the magic sniffing)
    const pieces = [gz.subarray(0, 1), gz.subarray(1, 100), gz.subarray(100)];
    expect(await digestEvents(Readable.from(pieces))).toEqual(expected);
    expect(await digestEvents(curlCapture, { chunkSize: 4096 })).toEqual(expected);
  });
});

describe('readCapture', () => {
  it('reports progress against the file size', async () => {
    const seen: CaptureProgress[] = [];
    await readCapture(curlCapture, {}, { onProgress: (p) => seen.push({ ...p }), chunkSize: 16 * 1024 });
    const size = statSync(curlCapture).size;
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.bytesRead).toBeGreaterThanOrEqual(seen[i - 1]!.bytesRead);
      expect(seen[i]!.bytesParsed).toBeGreaterThanOrEqual(seen[i - 1]!.bytesParsed);
    }
    expect(seen.at(-1)).toEqual({ bytesRead: size, totalBytes: size, bytesParsed: 146_220, compressed: true });
  });

  it('stops when the event handler returns false', async () => {
    let n = 0;
    const summary = await readCapture(mixedCapture, { event: () => ++n < 10 });
    expect(n).toBe(10);
    expect(summary).toMatchObject({ events: 10, stopped: true });
  });

  it('reports tables done once, before the first event', async () => {
    const order: string[] = [];
    await readCapture(curlCapture, {
      thread: () => void (order.at(-1) !== 'thread' && order.push('thread')),
      tablesDone: () => void order.push('done'),
      event: () => {
        if (order.at(-1) !== 'event') order.push('event');
      },
    });
    expect(order).toEqual(['thread', 'done', 'event']);
  });

  it('skips blocks of unknown types and reports them', async () => {
    const { sink, bytes } = memorySink();
    await generateCapture(sink, { events: 20, threads: 4 });
    const file = bytes();
    const blocks = walkBlocks(file);
    const firstEvent = blocks.find((b) => b.type === 0x216)!;
    const custom = rawBlock(0x7777, Buffer.from('a pcapng-style custom block'));
    const patched = Buffer.concat([file.subarray(0, firstEvent.offset), custom, file.subarray(firstEvent.offset), custom]);
    const unknown: unknown[] = [];
    const summary = await readCapture(patched, { unknownBlock: (b) => void unknown.push(b) });
    expect(summary.events).toBe(20);
    expect(unknown).toEqual([
      { type: 0x7777, offset: firstEvent.offset, length: custom.length },
      { type: 0x7777, offset: patched.length - custom.length, length: custom.length },
    ]);
  });

  it('skips section header options and reads several sections in a row', async () => {
    const a = memorySink();
    const b = memorySink();
    await generateCapture(a.sink, { events: 30, threads: 3, seed: 1 });
    await generateCapture(b.sink, { events: 40, threads: 5, seed: 2, littleEndian: false });
    // a section header with 8 bytes of (pcapng-style) options
    const first = a.bytes();
    const shb = Buffer.alloc(36);
    first.copy(shb, 0, 0, 24);
    shb.writeUInt32LE(36, 4);
    shb.writeUInt32LE(36, 32);
    const joined = Buffer.concat([shb, first.subarray(28), b.bytes()]);
    const sections: boolean[] = [];
    let threads = 0;
    let done = 0;
    const summary = await readCapture(joined, {
      section: (h) => void sections.push(h.littleEndian),
      thread: () => void threads++,
      tablesDone: () => void done++,
    });
    expect(sections).toEqual([true, false]);
    expect(summary).toMatchObject({ sections: 2, events: 70 });
    expect(threads).toBe(8);
    expect(done).toBe(2);
  });

  it('reads big-endian captures', async () => {
    const le = memorySink();
    const be = memorySink();
    await generateCapture(le.sink, { events: 500, threads: 16, seed: 3 });
    await generateCapture(be.sink, { events: 500, threads: 16, seed: 3, littleEndian: false });
    const leBytes = le.bytes();
    const beBytes = be.bytes();
    expect(beBytes.length).toBe(leBytes.length);
    expect(beBytes.subarray(8, 12)).toEqual(Buffer.from([0x1a, 0x2b, 0x3c, 0x4d])); // magic, big-endian
    const leTables = await readCaptureTables(leBytes);
    const beTables = await readCaptureTables(beBytes);
    expect(beTables.section).toEqual({ littleEndian: false, major: 1, minor: 2 });
    expect({ ...beTables, section: undefined }).toEqual({ ...leTables, section: undefined });
    expect(beTables.threads).toEqual(syntheticTables({ threads: 16, seed: 3 }).threads);
    // the same events, decoded from either byte order
    const decode = async (bytes: Buffer): Promise<string[]> => {
      const view = new EventView();
      const out: string[] = [];
      await readCapture(bytes, {
        event: (s) => {
          view.reset(s.data, s.offset, s.length, s.littleEndian);
          const params = view.paramInfo.map((p, i) => {
            if (['CHARBUF', 'FSPATH', 'FSRELPATH', 'BYTEBUF'].includes(p.type)) return view.text(i);
            // addresses hold ports in the file's byte order: compare their length only
            if (p.type === 'SOCKADDR' || p.type === 'SOCKTUPLE') return `addr/${view.paramLength(i)}`;
            return String(view.bigint(i));
          });
          out.push(`${view.ts} ${view.tid} ${view.type} ${s.cpu} ${params.join('|')}`);
        },
      });
      return out;
    };
    const beEvents = await decode(beBytes);
    expect(beEvents).toHaveLength(500);
    expect(beEvents).toEqual(await decode(leBytes));
  });

  it('passes file system errors through', async () => {
    await expect(readCapture(join(tmp.dir, 'missing.scap'), {})).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects what is not a capture with a CaptureError', async () => {
    await expect(readCapture(Buffer.from('{"json": "not a capture at all"}'), {})).rejects.toThrow(
      /capture: not a scap capture: .* byte 0 .*bad magic/,
    );
    await expect(readCapture(Buffer.alloc(0), {})).rejects.toThrow(CaptureError);
    await expect(readCapture(gzipSync(Buffer.from('hello')), {})).rejects.toThrow(CaptureError);
  });
});
