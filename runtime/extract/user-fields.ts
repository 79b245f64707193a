// user.* and group.*: the thread's ids and the names the user tables give them, per
// container. Unknown ids read as root for 0 and <NA> otherwise (libsinsp's fallback record).
import { bigintOf } from './small-bigint.ts';
import type { ExtractorFactory, Extractor } from './context.ts';
import type { ThreadInfo } from '../state/thread.ts';
import type { SystemState } from '../state/system-state.ts';
import type { Extracted } from '../operators/values.ts';

const UNSET = 0xffffffff;

const th = (f: (state: SystemState, t: ThreadInfo) => Extracted): ExtractorFactory => (): Extractor => (ctx) => {
  const t = ctx.state.tinfo;
  return t ? f(ctx.state, t) : undefined;
};

export const USER_FIELDS: Readonly<Record<string, ExtractorFactory>> = {
  'user.uid': th((_s, t) => bigintOf(t.uid >>> 0)),
  'user.name': th((s, t) => s.users.userName(t.containerId, t.uid >>> 0)),
  'user.homedir': th((s, t) => s.users.user(t.containerId, t.uid >>> 0)?.homedir ?? (t.uid === 0 ? '/root' : '<NA>')),
  'user.shell': th((s, t) => s.users.user(t.containerId, t.uid >>> 0)?.shell ?? '<NA>'),
  // An unset login uid (all ones) is shown as -1.
  'user.loginuid': th((_s, t) => (t.loginuid >>> 0 === UNSET ? -1n : bigintOf(t.loginuid >>> 0))),
  'user.loginname': th((s, t) => s.users.userName(t.containerId, t.loginuid >>> 0)),
  'group.gid': th((_s, t) => bigintOf(t.gid >>> 0)),
  'group.name': th((s, t) => s.users.groupName(t.containerId, t.gid >>> 0)),
};
