// Alerts as Falco prints them: the text line `<time>: <Priority> <message>` and the JSON object
// with hostname, output, output_fields, priority, rule, source, tags, time (keys sorted).
import type { CompiledOutput, OutputToken } from '../../compiler/check/output-format.ts';
import type { TypedOperand } from '../../compiler/check/typed.ts';
import type { Extracted } from '../operators/values.ts';
import { bytesToText, renderJson, renderText, toSortedJson, type JsonValue, type RenderInfo } from './render.ts';

export interface AlertSettings {
  jsonOutput: boolean;
  jsonIncludeOutputProperty: boolean;
  jsonIncludeMessageProperty: boolean;
  jsonIncludeOutputFieldsProperty: boolean;
  jsonIncludeTagsProperty: boolean;
  timeFormatIso8601: boolean;
}

export interface AlertRule {
  name: string;
  priority: string;
  source: string;
  tags: readonly string[];
  output: CompiledOutput;
  /** append_output extra_fields: rendered formats (`name: format`) or typed fields. */
  extraFields: readonly { key: string; compiled: CompiledOutput; typed: boolean }[];
}

export interface Alert {
  rule: string;
  priority: string;
  source: string;
  tags: readonly string[];
  /** Event time, ns since the epoch. */
  time: bigint;
  /** The rendered rule output (UTF-8 text). */
  message: string;
  outputFields: Record<string, JsonValue>;
  hostname: string;
}

/** Values of the operands an output needs, for the current event. */
export type OperandValues = (operand: TypedOperand) => Extracted;

const pad2 = (n: number) => String(n).padStart(2, '0');

function nsPart(ts: bigint): string {
  return (ts % 1_000_000_000n).toString().padStart(9, '0');
}

/** `HH:MM:SS.nnnnnnnnn` in the local time zone (Falco's %evt.time). */
export function localTime(ts: bigint): string {
  const d = new Date(Number(ts / 1_000_000n));
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${nsPart(ts)}`;
}

/** `2024-03-01T12:34:56.123456789+0000` in the local time zone (%evt.time.iso8601). */
export function localIso8601(ts: bigint): string {
  const d = new Date(Number(ts / 1_000_000n));
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}` +
    `.${nsPart(ts)}${sign}${pad2(Math.floor(a / 60))}${pad2(a % 60)}`
  );
}

/** The alert's `time`: UTC, nanoseconds, `Z`. */
export function utcTime(ts: bigint): string {
  return new Date(Number(ts / 1_000_000n)).toISOString().slice(0, 19) + `.${nsPart(ts)}Z`;
}

const renderInfo = (o: TypedOperand): RenderInfo => ({
  type: o.type,
  isList: o.isList,
  printFormat: o.kind === 'field' ? o.field.printFormat : undefined,
});

function tokenText(t: OutputToken, values: OperandValues): string {
  if (t.kind === 'text') return t.text;
  let s = renderText(values(t.operand), renderInfo(t.operand));
  if (t.width !== undefined) s = s.length > t.width ? s.slice(0, t.width) : s.padEnd(t.width, ' ');
  return s;
}

/** Renders a compiled output format (literal text is a byte string too: see compileOutput). */
export function renderOutput(out: CompiledOutput, values: OperandValues): string {
  let s = '';
  for (const t of out.tokens) s += tokenText(t, values);
  return s;
}

/** Typed values of an output's field tokens, keyed as Falco keys output_fields. */
export function outputFieldValues(out: CompiledOutput, values: OperandValues, into: Record<string, JsonValue>): void {
  for (const t of out.tokens) {
    if (t.kind !== 'field' || t.key in into) continue;
    into[t.key] = renderJson(values(t.operand), renderInfo(t.operand));
  }
}

// Control characters cannot stand in a one-line alert; Falco escapes them as JSON does.
const CONTROL = /[\x00-\x1f]/g;
const escapeControl = (s: string) =>
  s.replace(CONTROL, (c) => ({ '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f' })[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function buildAlert(rule: AlertRule, time: bigint, values: OperandValues, hostname: string): Alert {
  const message = bytesToText(renderOutput(rule.output, values));
  const outputFields: Record<string, JsonValue> = {};
  outputFieldValues(rule.output, values, outputFields);
  for (const f of rule.extraFields) {
    if (f.typed) outputFieldValues(f.compiled, values, outputFields);
    else outputFields[f.key] = bytesToText(renderOutput(f.compiled, values));
  }
  return { rule: rule.name, priority: rule.priority, source: rule.source, tags: rule.tags, time, message, outputFields, hostname };
}

/** The text line: `<time>: <Priority> <message>`. */
export function alertLine(a: Alert, s: AlertSettings): string {
  const t = s.timeFormatIso8601 ? localIso8601(a.time) : localTime(a.time);
  return escapeControl(`${t}: ${a.priority} ${a.message}`);
}

export function alertJson(a: Alert, s: AlertSettings): string {
  const o: Record<string, JsonValue> = {
    hostname: a.hostname,
    priority: a.priority,
    rule: a.rule,
    source: a.source,
    time: utcTime(a.time),
  };
  if (s.jsonIncludeOutputProperty) o.output = alertLine(a, s);
  if (s.jsonIncludeMessageProperty) o.message = a.message;
  if (s.jsonIncludeOutputFieldsProperty) {
    // The time prefix's field is part of output_fields too, as the raw timestamp.
    o.output_fields = { ...a.outputFields, [s.timeFormatIso8601 ? 'evt.time.iso8601' : 'evt.time']: a.time };
  }
  if (s.jsonIncludeTagsProperty) o.tags = [...a.tags];
  return toSortedJson(o);
}

/** One alert as the outputs take it: Falco's JSON object or text line, as the settings say, and a newline. */
export function formatAlert(a: Alert, settings: AlertSettings): string {
  return (settings.jsonOutput ? alertJson(a, settings) : alertLine(a, settings)) + '\n';
}
