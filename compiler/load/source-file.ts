// A rules file's text with line lookup, and the mapping from a scalar's decoded value back to the
// file, so an error inside a condition points at the right line and column of the YAML.
import type { YScalar } from './yaml-tree.ts';

export interface RulesSource {
  /** File name as given (used in messages). */
  name: string;
  text: string;
}

export class SourceFile {
  private lineStarts: number[] | undefined;
  constructor(readonly name: string, readonly text: string) {}

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number; offset: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: o - this.lineStarts[lo]! + 1, offset: o };
  }
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/**
 * Maps an index in a scalar's decoded value to an offset in the file. Exact for plain and block
 * scalars; for quoted scalars with escapes it is close (it aligns characters, skipping the
 * line folding, indentation and escape characters YAML removed).
 */
export function scalarValueMapper(file: SourceFile, node: YScalar): (index: number) => number {
  const src = file.text;
  let j = node.start;
  if (node.style === 'literal' || node.style === 'folded') {
    // Skip the header line (`|`, `>-`, `|2` …).
    const nl = src.indexOf('\n', j);
    j = nl < 0 ? node.end : nl + 1;
  } else if (node.style === 'single' || node.style === 'double') j++;
  const map = new Int32Array(node.value.length + 1);
  const end = Math.max(node.end, j);
  for (let i = 0; i < node.value.length; i++) {
    const c = node.value[i];
    if (isSpace(c)) {
      map[i] = Math.min(j, end);
      if (src[j] === c) j++;
      else while (j < end && isSpace(src[j]) && !isSpace(node.value[i + 1])) j++;
      continue;
    }
    let k = j;
    // Skip what YAML dropped (indentation, folded line breaks, quote escapes) to find c again.
    while (k < end && src[k] !== c && (isSpace(src[k]) || src[k] === '\\' || src[k] === "'" || src[k] === '"')) k++;
    if (src[k] === c) j = k;
    map[i] = Math.min(j, end);
    if (j < end) j++;
  }
  map[node.value.length] = Math.min(j, end);
  return (index) => map[Math.max(0, Math.min(index, node.value.length))]!;
}

/** Byte offsets of a UTF-8 byte string (see parse/ast.ts) back to indexes of the JS string. */
export function byteToCharMapper(text: string): (byteOffset: number) => number {
  if (!/[^\x00-\x7f]/.test(text)) return (b) => b;
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) map.push(i);
    if (cp > 0xffff) i++;
  }
  map.push(text.length);
  return (b) => map[Math.max(0, Math.min(b, map.length - 1))]!;
}

/** JS string → byte string (one code unit per UTF-8 byte). */
export function toByteString(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** Byte string → JS string, for display. */
export function fromByteString(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}
