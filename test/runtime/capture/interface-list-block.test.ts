import { describe, expect, it } from 'vitest';
import { readCaptureTables } from '../../../runtime/capture/capture-reader.ts';
import { ByteWriter } from '../../../runtime/capture/byte-writer.ts';
import { captureOf, rawBlock } from './capture-fixtures.ts';

/** An entry of kind 1…4 (3 and 4 have no link speed), optionally v2-framed. */
function entry(w: ByteWriter, kind: number, name: string, v2: boolean): void {
  const size = kind === 1 || kind === 3 ? 4 : 16;
  const body = 4 + 3 * size + (kind <= 2 ? 8 : 0) + name.length;
  if (v2) w.u32(body);
  w.u16(kind);
  w.u16(name.length);
  for (let i = 0; i < 3; i++) w.bytes(new Uint8Array(size).fill(i + 1));
  if (kind <= 2) w.u64(1000n);
  w.latin1(name);
}

describe('interface list blocks', () => {
  for (const [type, v2] of [[0x205, false], [0x8011abcd, false], [0x219, true]] as const) {
    it(`block type 0x${type.toString(16)}: all four entry kinds`, async () => {
      const w = new ByteWriter(true);
      entry(w, 1, 'eth0', v2);
      entry(w, 2, 'eth0', v2);
      entry(w, 3, 'lo', v2);
      entry(w, 4, 'lo', v2);
      const t = await readCaptureTables(captureOf([rawBlock(type, w.result())]));
      expect(t.interfaces.map((i) => [i.family, i.name, i.addr.length, i.bcast[0], i.linkSpeed])).toEqual([
        [4, 'eth0', 4, 3, 1000n],
        [6, 'eth0', 16, 3, 1000n],
        [4, 'lo', 4, 3, 0n],
        [6, 'lo', 16, 3, 0n],
      ]);
    });
  }
});
