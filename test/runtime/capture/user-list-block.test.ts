import { describe, expect, it } from 'vitest';
import { readCaptureTables } from '../../../runtime/capture/capture-reader.ts';
import { ByteWriter } from '../../../runtime/capture/byte-writer.ts';
import { captureOf, rawBlock } from './capture-fixtures.ts';

describe('user list blocks', () => {
  it('v1 (0x206, 0x8012ABCD): users and groups without entry lengths', async () => {
    for (const type of [0x206, 0x8012abcd]) {
      const w = new ByteWriter(true);
      w.u8(0); w.u32(1000); w.u32(100); w.lengthPrefixed('alice', 255); w.lengthPrefixed('/home/alice', 255); w.lengthPrefixed('/bin/sh', 255);
      w.u8(1); w.u32(100); w.lengthPrefixed('users', 255);
      const t = await readCaptureTables(captureOf([rawBlock(type, w.result())]));
      expect(t.users).toEqual([{ uid: 1000, gid: 100, name: 'alice', homedir: '/home/alice', shell: '/bin/sh', containerId: '' }]);
      expect(t.groups).toEqual([{ gid: 100, name: 'users', containerId: '' }]);
    }
  });

  it('v2 (0x220): fields of a newer libscap are skipped', async () => {
    const w = new ByteWriter(true);
    w.u32(4 + 1 + 4 + 2 + 5 + 3); w.u8(1); w.u32(100); w.lengthPrefixed('users', 255); w.zeros(3);
    w.u32(4 + 1 + 4 + 2 + 5); w.u8(1); w.u32(101); w.lengthPrefixed('staff', 255);
    const t = await readCaptureTables(captureOf([rawBlock(0x220, w.result())]));
    expect(t.groups.map((g) => [g.gid, g.name])).toEqual([[100, 'users'], [101, 'staff']]);
  });
});
