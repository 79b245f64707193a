// User list blocks (0x206 and 0x8012ABCD; 0x220 = v2): the users and groups of the machine.
// Entries: `[v2: entry length u32] kind u8`, then for a user (kind 0) uid, gid u32, name,
// homedir, shell; for a group (any other kind, as libscap reads it) gid u32, name.
// Strings are u16 length + bytes, each shorter than 256 bytes.
import type { GroupRecord, UserRecord } from './capture-types.ts';
import { MAX_CREDENTIALS_STR_LEN } from './block-types.ts';
import type { TableCursor } from './table-cursor.ts';
import type { ByteWriter } from './byte-writer.ts';

const KIND_USER = 0;
const KIND_GROUP = 1;
const MAX_LEN = MAX_CREDENTIALS_STR_LEN - 1;

export function readUserList(c: TableCursor, v2: boolean, emitUser: (u: UserRecord) => void, emitGroup: (g: GroupRecord) => void): void {
  while (c.remaining >= 4) {
    c.beginEntry();
    const entryLength = v2 ? c.u32('entry length') : 0;
    const kind = c.u8('entry kind');
    let done: () => void;
    if (kind === KIND_USER) {
      const user: UserRecord = {
        uid: c.u32('uid'),
        gid: c.u32('gid'),
        name: c.lengthPrefixedC('user name', MAX_LEN),
        homedir: c.lengthPrefixedC('home directory', MAX_LEN),
        shell: c.lengthPrefixedC('shell', MAX_LEN),
        containerId: '',
      };
      done = () => emitUser(user);
    } else {
      const group: GroupRecord = { gid: c.u32('gid'), name: c.lengthPrefixedC('group name', MAX_LEN), containerId: '' };
      done = () => emitGroup(group);
    }
    if (entryLength > 0) {
      if (c.entryRead > entryLength) c.fail(`entry length ${entryLength} is shorter than the ${c.entryRead} bytes of the entry`, c.entryStart);
      c.skip(entryLength - c.entryRead, 'rest of the entry');
    }
    done();
  }
}

/** The body of a v2 user list block: users first, then groups, as libscap writes it. */
export function writeUserList(w: ByteWriter, users: readonly UserRecord[], groups: readonly GroupRecord[]): void {
  for (const u of users) {
    const start = w.length;
    w.u32(0);
    w.u8(KIND_USER);
    w.u32(u.uid);
    w.u32(u.gid);
    w.lengthPrefixed(u.name, MAX_LEN);
    w.lengthPrefixed(u.homedir, MAX_LEN);
    w.lengthPrefixed(u.shell, MAX_LEN);
    w.patchU32(start, w.length - start);
  }
  for (const g of groups) {
    const start = w.length;
    w.u32(0);
    w.u8(KIND_GROUP);
    w.u32(g.gid);
    w.lengthPrefixed(g.name, MAX_LEN);
    w.patchU32(start, w.length - start);
  }
}
