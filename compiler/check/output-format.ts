// Rule output formats: literal text with %field / %field[arg] / %transformer(...) tokens, an
// optional width (%20proc.name) and a leading `*`. Token extent follows Falco: the longest
// prefix that compiles, so `%proc.name)` and `%fd.name.` leave the `)` and `.` as text.
import type { FieldCatalog } from '../../runtime/fields/catalog.ts';
import { printOperand } from '../parse/print.ts';
import type { TypedOperand } from './typed.ts';
import { compileOperandText } from './operand-text.ts';

export type OutputToken =
  | { kind: 'text'; text: string }
  | { kind: 'field'; key: string; operand: TypedOperand; width?: number };

export interface CompiledOutput {
  tokens: OutputToken[];
  /** Canonical keys of the field tokens, in order of first appearance (JSON output_fields). */
  fields: string[];
}

export class OutputFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const TRANSFORMER_START = /^(?:tolower|toupper|b64|basename|len|join|concat|getopt)\(/;
const FIELD_CHARS = /^[A-Za-z0-9_.]+/;
/** No field or transformer token is longer; bounds the retry-shorter loop on hostile text. */
const MAX_TOKEN_CHARS = 1024;

/** End of a transformer call starting at `from` (just past its `)` and any `[arg]`). */
function transformerEnd(s: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote && s[i - 1] !== '\\') quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return bracketEnd(s, i + 1);
  }
  return s.length;
}

function bracketEnd(s: string, at: number): number {
  if (s[at] !== '[') return at;
  const close = s.indexOf(']', at);
  return close < 0 ? at : close + 1;
}

/** Compiles one token candidate as an output operand; returns an error message on failure. */
function compileOperand(text: string, catalog: FieldCatalog): TypedOperand | string {
  const op = compileOperandText(text, catalog);
  if (typeof op !== 'string' && op.kind === 'field' && op.field.flags.includes('FILTER_ONLY')) {
    return `field '${op.field.name}' can only be used in conditions`;
  }
  return op;
}

export function compileOutput(format: string, catalog: FieldCatalog): CompiledOutput {
  if (format.length === 0) throw new OutputFormatError('empty formatting token', 0);
  const tokens: OutputToken[] = [];
  const fields: string[] = [];
  let text = '';
  let i = format.startsWith('*') ? 1 : 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      text += format.slice(i);
      break;
    }
    text += format.slice(i, pct);
    if (pct === format.length - 1) throw new OutputFormatError('invalid formatting syntax: formatting cannot end with a %', pct);
    let k = pct + 1;
    const width = /^[0-9]+/.exec(format.slice(k))?.[0];
    if (width) k += width.length;
    const rest = format.slice(k);
    const end = TRANSFORMER_START.test(rest) ? transformerEnd(format, k) : bracketEnd(format, k + (FIELD_CHARS.exec(rest)?.[0].length ?? 0));
    let lastError = `invalid formatting token ${format.slice(k, end)}`;
    let compiled: { operand: TypedOperand; end: number } | undefined;
    for (let e = Math.min(end, k + MAX_TOKEN_CHARS); e > k; e--) {
      const r = compileOperand(format.slice(k, e), catalog);
      if (typeof r !== 'string') {
        compiled = { operand: r, end: e };
        break;
      }
      if (lastError.startsWith('invalid formatting token')) lastError = r;
    }
    if (!compiled) throw new OutputFormatError(`unknown filter: ${lastError}`, pct);
    if (text) tokens.push({ kind: 'text', text });
    text = '';
    const key = printOperand(compiled.operand.node);
    const tok: OutputToken = { kind: 'field', key, operand: compiled.operand };
    if (width) tok.width = Number(width);
    tokens.push(tok);
    if (!fields.includes(key)) fields.push(key);
    i = compiled.end;
  }
  if (text) tokens.push({ kind: 'text', text });
  return { tokens, fields };
}
