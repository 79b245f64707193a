// Old event blocks (0x204, 0x8010ABCD, 0x208) hold events whose header lacks the nparams
// field. libscap upgrades them while reading — the rest of the stack only knows the 26-byte
// header — and so do we: copy the event with room for nparams, then find the parameter
// count by starting from the event table's count and decreasing it until the parameter
// lengths exactly fill the event.
import { EVENTS } from '../events/event-table.ts';
import { EVENT_HEADER_SIZE, EVENT_HEADER_SIZE_V1 } from './block-types.ts';

const PARAM_COUNTS: readonly number[] = EVENTS.map((e) => e.params.length);

/** Old captures stored these two with a length 3 bytes too long (libscap corrects it the same way). */
export const V1_OVERSTATED_TYPES: ReadonlySet<number> = new Set(
  EVENTS.filter((e) => e.enum === 'PPME_NOTIFICATION_E' || e.enum === 'PPME_INFRASTRUCTURE_EVENT_E').map((e) => e.code),
);

/**
 * Writes the upgraded event into `dst` (at 0) and returns its length, or a string saying why
 * the event cannot be upgraded. `length` is the event's true V1 length; `src[at…at+length)`
 * must be in bounds.
 */
export function upgradeV1Event(src: Uint8Array, at: number, length: number, type: number, le: boolean, dst: Uint8Array, dstView: DataView): number | string {
  const newLength = length + 4;
  dst.set(src.subarray(at, at + EVENT_HEADER_SIZE_V1), 0);
  dst.set(src.subarray(at + EVENT_HEADER_SIZE_V1, at + length), EVENT_HEADER_SIZE);
  dstView.setUint32(16, newLength, le);
  const maxParams = PARAM_COUNTS[type] ?? 0;
  for (let n = maxParams; n >= 0; n--) {
    let end = EVENT_HEADER_SIZE + 2 * n;
    if (end > newLength) continue;
    for (let i = 0; i < n; i++) end += dstView.getUint16(EVENT_HEADER_SIZE + 2 * i, le);
    if (end < newLength) return `its parameters do not fill its ${length} bytes (cannot count them)`;
    if (end === newLength) {
      dstView.setUint32(EVENT_HEADER_SIZE_V1, n, le);
      return newLength;
    }
  }
  return `its parameter lengths overrun its ${length} bytes (cannot count them)`;
}
