// Checks that may read their operand already cut at its first NUL. Every check on a string
// (CHARBUF/FSPATH/FSRELPATH) compares C strings except regex and pmatch (libsinsp keeps inner
// NULs for those) and the byte operators. Such checks read a slot the runtime fills with the
// value cut once per event, so the inlined checks are plain === / Set lookups / startsWith with
// no NUL handling per check; an operand some other check reads raw gets a second, raw slot.
import type { TypedCheck } from '../check/typed.ts';
import { checkSpecOf } from '../../runtime/interpreter/check-spec.ts';

const STRINGS = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH']);
const C_STRING_OPS = new Set([
  '=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'in', 'intersects', 'exists',
]);

export function cutSafe(c: TypedCheck): boolean {
  const spec = checkSpecOf(c);
  return !c.rhs && STRINGS.has(spec.type) && !spec.isList && !spec.bothEndpoints && !spec.anyValue && C_STRING_OPS.has(c.op);
}
