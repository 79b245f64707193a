// evt.rawarg.NAME: a parameter's binary value, typed for comparisons (integers as bigint,
// strings as byte strings, addresses as IpAddress). An empty parameter has no value, except
// the string types, which libsinsp reads as the text <NA>.
import type { Extracted } from '../operators/values.ts';
import type { EventContext } from './context.ts';
import { stringParam } from './param-render.ts';

const SIGNED = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'ERRNO', 'FD', 'PID', 'FD32', 'PID32']);
const STRINGS = new Set(['CHARBUF', 'FSPATH', 'FSRELPATH']);
const UNSIGNED = new Set([
  'UINT8', 'UINT16', 'UINT32', 'UINT64', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32', 'MODE',
  'UID', 'GID', 'SYSCALLID', 'SIGTYPE', 'RELTIME', 'ABSTIME', 'PORT', 'SIGSET', 'L4PROTO', 'SOCKFAMILY',
]);

export function rawParamValue(ctx: EventContext, i: number): Extracted {
  const v = ctx.view;
  const type = v.paramInfo[i]?.type ?? 'BYTEBUF';
  if (STRINGS.has(type)) return stringParam(v, i);
  const len = v.paramLength(i);
  if (len === 0) return undefined;
  if (SIGNED.has(type)) return v.bigint(i, true);
  if (UNSIGNED.has(type)) return v.bigint(i, false);
  if (type === 'BOOL') return v.int(i, false) !== 0;
  if (type === 'IPV4ADDR' || type === 'IPV6ADDR') return { family: len === 4 ? 4 : 6, addr: v.bytes(i).slice() };
  if (type === 'DYN') {
    // A DYN value follows the byte naming its type; integers are the common case.
    const rest = len - 1;
    if (rest === 1 || rest === 2 || rest === 4 || rest === 8) {
      const b = v.bytes(i);
      const dv = new DataView(b.buffer, b.byteOffset + 1, rest);
      return rest === 8 ? dv.getBigInt64(0, true) : BigInt(rest === 4 ? dv.getInt32(0, true) : rest === 2 ? dv.getInt16(0, true) : dv.getInt8(0));
    }
    return v.text(i).slice(1);
  }
  return v.text(i);
}
