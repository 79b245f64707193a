// Hostile events through the state parsers: parameters with random bytes, lengths and counts
// must leave the state consistent (no exception but the decoder's own format error, no hang).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readCapture } from '../../../runtime/capture/capture-reader.ts';
import { EventFormatError, EventView } from '../../../runtime/events/event-view.ts';
import { SystemState } from '../../../runtime/state/system-state.ts';
import { EventParser } from '../../../runtime/state/event-parser.ts';
import { seededRandom } from '../capture/capture-fixtures.ts';
import { sharedDir } from '../../paths.ts';

async function sampleEvents(file: string, max: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const seen = new Map<number, number>();
  await readCapture(file, {
    event(s) {
      const type = s.view!.getUint16(s.offset + 20, true);
      // A few of every type, so rare parsers (clone, execve, connect …) are hit too.
      if ((seen.get(type) ?? 0) >= 20) return out.length < max;
      seen.set(type, (seen.get(type) ?? 0) + 1);
      out.push(Uint8Array.prototype.slice.call(s.data, s.offset, s.offset + s.length));
      return out.length < max;
    },
  });
  return out;
}

describe('state parsers on corrupted events', () => {
  it('random parameter bytes and parameter lengths never throw anything but a format error', async () => {
    const events = await sampleEvents(join(sharedDir, 'oracle/mixed.scap.gz'), 2000);
    const rand = seededRandom(11);
    const state = new SystemState(500);
    const parser = new EventParser(state);
    const view = new EventView();
    let rejected = 0;
    let processed = 0;
    for (let round = 0; round < 20; round++) {
      for (const original of events) {
        const e = original.slice();
        const flips = 1 + Math.floor(rand() * 6);
        const nparams = e[22]! | (e[23]! << 8);
        const dataAt = Math.min(e.length, 26 + 2 * nparams);
        for (let i = 0; i < flips; i++) {
          // Mostly parameter bytes (which parsers read); sometimes headers and lengths (which the decoder checks).
          const r = rand();
          const at = r < 0.8 && dataAt < e.length ? dataAt + Math.floor(rand() * (e.length - dataAt)) : Math.floor(rand() * e.length);
          e[at] = Math.floor(rand() * 256);
        }
        try {
          view.reset(e, 0, e.length);
          parser.process(view);
          processed++;
        } catch (err) {
          if (!(err instanceof EventFormatError)) throw err;
          rejected++;
        }
      }
    }
    expect(processed).toBeGreaterThan(events.length * 5);
    expect(rejected).toBeGreaterThan(0);
    expect(state.threads.size).toBeLessThanOrEqual(500);
    for (const t of state.threads.values()) expect(t.fds.fds.size).toBeLessThanOrEqual(4096);
  });
});
