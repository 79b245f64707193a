import { describe, expect, it } from 'vitest';
import { parseRegex, RegexSyntaxError } from '../../../runtime/operators/regex-parse.ts';
import {
  compileProgram,
  OP_ANY_BUT_NL,
  OP_BEGIN_LINE,
  OP_CLASS,
  OP_END_LINE,
  OP_JMP,
  OP_MATCH,
  OP_RUNE,
  OP_SPLIT,
} from '../../../runtime/operators/regex-program.ts';

const program = (pattern: string) => compileProgram(parseRegex(pattern));

describe('compileProgram', () => {
  it('lays out a literal string and a final match', () => {
    const p = program('ab');
    expect(Array.from(p.op)).toEqual([OP_RUNE, OP_RUNE, OP_MATCH]);
    expect(Array.from(p.x.subarray(0, 2))).toEqual([0x61, 0x62]);
  });

  it('compiles . to the any-but-newline instruction and one-rune classes to runes', () => {
    expect(Array.from(program('.').op)).toEqual([OP_ANY_BUT_NL, OP_MATCH]);
    expect(Array.from(program('[a]').op)).toEqual([OP_RUNE, OP_MATCH]);
    const cls = program('[a-c\xC3\xA9]');
    expect(Array.from(cls.op)).toEqual([OP_CLASS, OP_MATCH]);
    expect(Array.from(cls.classes[0]!.ranges)).toEqual([0x61, 0x63, 0xe9, 0xe9]);
    expect(cls.classes[0]!.ascii[0x62]).toBe(1);
    expect(cls.classes[0]!.ascii[0x64]).toBe(0);
  });

  it('builds star as split / body / jump back', () => {
    const p = program('a*');
    expect(Array.from(p.op)).toEqual([OP_SPLIT, OP_RUNE, OP_JMP, OP_MATCH]);
    expect([p.x[0], p.y[0], p.x[2]]).toEqual([1, 3, 0]);
  });

  it('builds plus as body / split back', () => {
    const p = program('a+');
    expect(Array.from(p.op)).toEqual([OP_RUNE, OP_SPLIT, OP_MATCH]);
    expect([p.x[1], p.y[1]]).toEqual([0, 2]);
  });

  it('builds alternation with splits and jumps to a common end', () => {
    const p = program('a|b|c');
    expect(Array.from(p.op)).toEqual([OP_SPLIT, OP_RUNE, OP_JMP, OP_SPLIT, OP_RUNE, OP_JMP, OP_RUNE, OP_MATCH]);
    expect([p.x[2], p.x[5]]).toEqual([7, 7]);
    expect([p.y[0], p.y[3]]).toEqual([3, 6]);
  });

  it('expands counted repetition into copies and nested options', () => {
    // a{2,4}: a a (a (a)?)?
    const p = program('a{2,4}');
    expect(Array.from(p.op)).toEqual([OP_RUNE, OP_RUNE, OP_SPLIT, OP_RUNE, OP_SPLIT, OP_RUNE, OP_MATCH]);
    expect([p.y[2], p.y[4]]).toEqual([6, 6]);
    // a{2,}: a a+
    expect(Array.from(program('a{2,}').op)).toEqual([OP_RUNE, OP_RUNE, OP_SPLIT, OP_MATCH]);
    expect(Array.from(program('a{0}').op)).toEqual([OP_MATCH]);
  });

  it('keeps line anchors as instructions', () => {
    expect(Array.from(program('^a$').op)).toEqual([OP_BEGIN_LINE, OP_RUNE, OP_END_LINE, OP_MATCH]);
  });

  it('refuses programs RE2 would find too large', () => {
    // RE2 2022-06 accepts 696 literal bytes repeated 1000 times and refuses 697.
    expect(() => program(`(${'a'.repeat(600)}){1000}`)).not.toThrow();
    expect(() => program(`(${'a'.repeat(800)}){1000}`)).toThrow(RegexSyntaxError);
    expect(() => program(`(${'a'.repeat(800)}){1000}`)).toThrow('pattern too large - compile failed');
    // a . costs about a dozen of RE2's byte-level instructions
    expect(() => program(`(${'.'.repeat(50)}){1000}`)).not.toThrow();
    expect(() => program(`(${'.'.repeat(80)}){1000}`)).toThrow('pattern too large - compile failed');
    // two-byte characters cost two
    expect(() => program(`(${'\xC3\xA9'.repeat(300)}){1000}`)).not.toThrow();
    expect(() => program(`(${'\xC3\xA9'.repeat(400)}){1000}`)).toThrow('pattern too large - compile failed');
  });
});
