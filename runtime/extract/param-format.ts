// Number and flag texts of event parameters, as libsinsp prints them: printf formats per the
// parameter's print format, symbolic flag names walked from the parameter's flag table.
import { FLAG_TABLES } from '../events/event-table.ts';

/** An integer per print format: DEC, OCT (`%#o`: leading 0), HEX (upper case, no prefix), 10_PADDED_DEC. */
export function formatInteger(v: bigint, fmt: string, bits: number): string {
  switch (fmt) {
    case 'OCT':
      return v === 0n ? '0' : '0' + BigInt.asUintN(bits, v).toString(8);
    case 'HEX':
      return BigInt.asUintN(bits, v).toString(16).toUpperCase();
    case '10_PADDED_DEC': {
      const s = v < 0n ? (-v).toString() : v.toString();
      return (v < 0n ? '-' : '') + s.padStart(v < 0n ? 8 : 9, '0');
    }
    default:
      return v.toString();
  }
}

type FlagTable = readonly (readonly [string, number])[];
const tableOf = (name: string | undefined): FlagTable | undefined => (name === undefined ? undefined : FLAG_TABLES[name]);

/**
 * FLAGS*: each entry whose bits are all still set (or that is 0 when the value is 0) is named
 * and its bits removed; the walk stops at an entry equal to the whole value.
 */
function renderFlags(value: number, table: string | undefined): string {
  const t = tableOf(table);
  if (!t) return '';
  let rest = value >>> 0;
  const initial = rest;
  let out = '';
  for (const [name, v] of t) {
    const bits = v >>> 0;
    if ((bits === 0 && initial === 0) || (bits !== 0 && (rest & bits) >>> 0 === bits && rest !== 0)) {
      out = out === '' ? name : `${out}|${name}`;
      rest = (rest & ~bits) >>> 0;
      if (bits === initial) break;
    }
  }
  return out;
}

/** ENUMFLAGS*: every entry equal to the value (several names can share one: AF_LOCAL|AF_UNIX). */
function renderEnumFlags(value: number, table: string | undefined): string {
  const t = tableOf(table);
  if (!t) return '';
  const v = value >>> 0;
  let out = '';
  for (const [name, x] of t) if (x >>> 0 === v) out = out === '' ? name : `${out}|${name}`;
  return out;
}

/** MODE: contained bits are named until an entry equals the whole value, which is named last. */
function renderMode(value: number, table: string | undefined): string {
  const t = tableOf(table);
  if (!t) return '';
  const initial = value >>> 0;
  let rest = initial;
  let out = '';
  let i = 0;
  for (; i < t.length && t[i]![1] >>> 0 !== initial; i++) {
    const bits = t[i]![1] >>> 0;
    if ((bits === 0 && initial === 0) || (bits !== 0 && (rest & bits) >>> 0 === bits && rest !== 0)) {
      out = out === '' ? t[i]![0] : `${out}|${t[i]![0]}`;
      rest = (rest & ~bits) >>> 0;
    }
  }
  if (i < t.length) out = out === '' ? t[i]![0] : `${out}|${t[i]![0]}`;
  return out;
}

/**
 * Flag texts are read per event (evt.arg.flags of every open) from a small set of values:
 * each (table, value) is rendered once. Bounded per table in case values are many.
 */
function memoized(render: (value: number, table: string | undefined) => string): (value: number, table: string | undefined) => string {
  const byTable = new Map<string | undefined, Map<number, string>>();
  return (value, table) => {
    let texts = byTable.get(table);
    if (!texts) byTable.set(table, (texts = new Map()));
    let s = texts.get(value);
    if (s === undefined) {
      s = render(value, table);
      if (texts.size >= 4096) texts.clear();
      texts.set(value, s);
    }
    return s;
  };
}

export const flagsText = memoized(renderFlags);
export const enumFlagsText = memoized(renderEnumFlags);
export const modeText = memoized(renderMode);

/** C's `%g`: 6 significant digits, trailing zeros dropped, exponent form outside 1e-4 … 1e6. */
export function formatG(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const en = Number(e);
    return `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, 5 - exp));
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
