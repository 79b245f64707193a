// Comparing falcoc's alert lines with the ones real Falco wrote, and explaining differences
// per rule so a failing parity test says which rule diverged and how.

export interface AlertLine {
  raw: string;
  rule: string;
  time: string;
}

const RULE = /"rule":"((?:[^"\\]|\\.)*)"/;
const TIME = /"time":"([^"]*)"/;

export function parseLine(raw: string): AlertLine {
  return { raw, rule: JSON.parse(`"${RULE.exec(raw)?.[1] ?? ''}"`) as string, time: TIME.exec(raw)?.[1] ?? '' };
}

function countBy(lines: readonly AlertLine[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l.rule, (m.get(l.rule) ?? 0) + 1);
  return m;
}

/** Top-level and output_fields keys whose JSON text differs (numbers compared as text: 64-bit safe). */
function fieldDiff(a: string, b: string): string[] {
  const grab = (s: string) => {
    const o = JSON.parse(s.replace(/:(-?\d{16,})/g, ':"$1"')) as Record<string, unknown>;
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === 'output_fields') for (const [fk, fv] of Object.entries(v as object)) flat[`output_fields.${fk}`] = JSON.stringify(fv);
      else flat[k] = JSON.stringify(v);
    }
    return flat;
  };
  const x = grab(a);
  const y = grab(b);
  const out: string[] = [];
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (x[k] !== y[k]) out.push(`    ${k}: falco ${x[k] ?? '(absent)'}\n    ${' '.repeat(k.length)}  falcoc ${y[k] ?? '(absent)'}`);
  }
  return out;
}

/** '' when identical; else per-rule counts that differ and the first differing alerts. */
export function explainDifferences(expected: readonly AlertLine[], actual: readonly AlertLine[], maxShown = 8): string {
  const lines: string[] = [];
  const e = countBy(expected);
  const a = countBy(actual);
  for (const rule of new Set([...e.keys(), ...a.keys()])) {
    if (e.get(rule) !== a.get(rule)) lines.push(`  ${rule}: falco ${e.get(rule) ?? 0}, falcoc ${a.get(rule) ?? 0}`);
  }
  if (lines.length) lines.unshift('alert counts per rule differ:');
  // Pair alerts by (time, rule) so one missing alert does not shift every later comparison.
  const key = (l: AlertLine) => `${l.time} ${l.rule}`;
  const byKey = new Map<string, AlertLine[]>();
  for (const l of actual) byKey.set(key(l), [...(byKey.get(key(l)) ?? []), l]);
  let shown = 0;
  for (const x of expected) {
    const cands = byKey.get(key(x));
    const y = cands?.shift();
    if (y && y.raw === x.raw) continue;
    if (shown++ >= maxShown) continue;
    if (!y) lines.push(`missing: ${x.time} ${x.rule}`);
    else lines.push(`differs: ${x.time} ${x.rule}`, ...fieldDiff(x.raw, y.raw));
  }
  for (const rest of byKey.values()) for (const y of rest) if (shown++ < maxShown) lines.push(`extra: ${y.time} ${y.rule}`);
  if (!lines.length) {
    const firstOrder = expected.findIndex((x, i) => actual[i]?.raw !== x.raw);
    if (firstOrder >= 0) lines.push(`same alerts, different order from alert #${firstOrder + 1}`);
  }
  return lines.join('\n');
}
