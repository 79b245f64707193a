// Compiles a parsed regex into a Thompson-NFA program over runes.
// Instructions live in parallel typed arrays so the matcher's inner loop
// touches no objects.

import { DOT_RANGES, RegexSyntaxError, type ParsedRegex, type RegexNode } from './regex-parse.ts';

export const OP_RUNE = 0; // x = rune
export const OP_CLASS = 1; // x = index into classes
export const OP_ANY_BUT_NL = 2;
export const OP_SPLIT = 3; // continue at x and at y
export const OP_JMP = 4; // continue at x
export const OP_BEGIN_LINE = 5;
export const OP_END_LINE = 6;
export const OP_MATCH = 7;

export interface RuneClass {
  /** Membership of runes below 0x80, the common case. */
  readonly ascii: Uint8Array;
  /** All ranges, flattened [lo, hi] pairs, sorted. */
  readonly ranges: Int32Array;
}

export interface Program {
  readonly op: Uint8Array;
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly classes: readonly RuneClass[];
  readonly length: number;
}

// RE2 (2022-06, as bundled by Falco) refuses a program that does not fit two
// thirds of its default 8 MiB budget, about 699,000 byte-level instructions
// of 8 bytes, with "pattern too large - compile failed". Our instructions work
// on runes, so each is weighted by roughly what RE2 would spend on it; the
// threshold is close to RE2's, not exact.
const MAX_WEIGHT = 699_000;
const GROUP_WEIGHT = 2;

function utf8Length(r: number): number {
  return r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4;
}

// RE2 expands a class into UTF-8 byte-range sequences; a range costs roughly
// one instruction per byte of each encoding length it spans.
function classWeight(ranges: readonly number[]): number {
  const bounds = [0, 0x80, 0x800, 0x10000, 0x110000];
  let w = 0;
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    for (let k = 0; k < 4; k++) {
      if (ranges[i]! < bounds[k + 1]! && ranges[i + 1]! >= bounds[k]!) w += k + 1;
    }
  }
  return Math.max(w, 1);
}

function sameRanges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

class Compiler {
  readonly op: number[] = [];
  readonly x: number[] = [];
  readonly y: number[] = [];
  readonly classes: RuneClass[] = [];
  constructor(private weight: number) {}

  emit(op: number, x = 0, y = 0, weight = 1): number {
    this.weight += weight;
    if (this.weight > MAX_WEIGHT) throw new RegexSyntaxError('pattern too large - compile failed');
    this.op.push(op);
    this.x.push(x);
    this.y.push(y);
    return this.op.length - 1;
  }

  get pc(): number {
    return this.op.length;
  }

  node(n: RegexNode): void {
    switch (n.kind) {
      case 'empty':
        return;
      case 'literal':
        this.emit(OP_RUNE, n.rune, 0, utf8Length(n.rune));
        return;
      case 'class':
        this.charClass(n.ranges);
        return;
      case 'beginLine':
        this.emit(OP_BEGIN_LINE);
        return;
      case 'endLine':
        this.emit(OP_END_LINE);
        return;
      case 'concat':
        for (const sub of n.subs) this.node(sub);
        return;
      case 'alternate': {
        const last = n.subs.length - 1;
        const jumps: number[] = [];
        for (let i = 0; i < last; i++) {
          const split = this.emit(OP_SPLIT, this.pc + 1);
          this.node(n.subs[i]!);
          jumps.push(this.emit(OP_JMP, 0, 0, 0));
          this.y[split] = this.pc;
        }
        this.node(n.subs[last]!);
        for (const j of jumps) this.x[j] = this.pc;
        return;
      }
      case 'star':
        this.star(n.sub);
        return;
      case 'plus':
        this.plus(n.sub);
        return;
      case 'quest': {
        const split = this.emit(OP_SPLIT, this.pc + 1);
        this.node(n.sub);
        this.y[split] = this.pc;
        return;
      }
      case 'repeat':
        this.repeat(n.sub, n.min, n.max);
        return;
    }
  }

  private star(sub: RegexNode): void {
    const split = this.emit(OP_SPLIT, this.pc + 1);
    this.node(sub);
    this.emit(OP_JMP, split, 0, 0);
    this.y[split] = this.pc;
  }

  private plus(sub: RegexNode): void {
    const start = this.pc;
    this.node(sub);
    this.emit(OP_SPLIT, start, this.pc + 1);
  }

  // x{n,m} is n copies of x followed by m-n nested optional copies, the same
  // expansion RE2 uses; x{n,} ends in x+ instead.
  private repeat(sub: RegexNode, min: number, max: number): void {
    if (max === -1) {
      if (min === 0) {
        this.star(sub);
        return;
      }
      for (let i = 0; i < min - 1; i++) this.node(sub);
      this.plus(sub);
      return;
    }
    for (let i = 0; i < min; i++) this.node(sub);
    const splits: number[] = [];
    for (let i = min; i < max; i++) {
      splits.push(this.emit(OP_SPLIT, this.pc + 1));
      this.node(sub);
    }
    for (const s of splits) this.y[s] = this.pc;
  }

  private charClass(ranges: readonly number[]): void {
    if (sameRanges(ranges, DOT_RANGES)) {
      this.emit(OP_ANY_BUT_NL, 0, 0, classWeight(ranges));
      return;
    }
    if (ranges.length === 2 && ranges[0] === ranges[1]) {
      this.emit(OP_RUNE, ranges[0], 0, utf8Length(ranges[0]!));
      return;
    }
    const ascii = new Uint8Array(128);
    for (let i = 0; i + 1 < ranges.length; i += 2) {
      for (let r = ranges[i]!; r <= ranges[i + 1]! && r < 128; r++) ascii[r] = 1;
    }
    this.classes.push({ ascii, ranges: Int32Array.from(ranges) });
    this.emit(OP_CLASS, this.classes.length - 1, 0, classWeight(ranges));
  }
}

export function compileProgram(parsed: ParsedRegex): Program {
  const c = new Compiler(parsed.groups * GROUP_WEIGHT);
  c.node(parsed.root);
  c.emit(OP_MATCH);
  return {
    op: Uint8Array.from(c.op),
    x: Int32Array.from(c.x),
    y: Int32Array.from(c.y),
    classes: c.classes,
    length: c.op.length,
  };
}
