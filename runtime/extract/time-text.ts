// Event timestamps as text (evt.time, evt.datetime, ABSTIME parameters): local time zone,
// nanoseconds as 9 digits. Also the UTC ISO 8601 form of evt.time.iso8601.
import { localTime, utcTime } from '../format/alert.ts';

export { localTime, utcTime };

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

function localDate(ts: bigint): string {
  const d = new Date(Number(ts / 1_000_000n));
  return `${String(d.getFullYear()).padStart(4, '0')}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** `HH:MM:SS` local. */
export function localTimeSeconds(ts: bigint): string {
  const d = new Date(Number(ts / 1_000_000n));
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` local (evt.datetime, ABSTIME parameters). */
export function localDateTime(ts: bigint): string {
  return `${localDate(ts)} ${localTime(ts)}`;
}

/** `YYYY-MM-DD HH:MM:SS` local. */
export function localDateTimeSeconds(ts: bigint): string {
  return `${localDate(ts)} ${localTimeSeconds(ts)}`;
}
