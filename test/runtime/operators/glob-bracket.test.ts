import { describe, expect, it } from 'vitest';
import { compileBracket } from '../../../runtime/operators/glob-bracket.ts';

const IDENTITY = new Uint8Array(256).map((_, i) => i);
const LOWER = new Uint8Array(256).map((_, i) => (i >= 0x41 && i <= 0x5a ? i + 0x20 : i));

function members(pattern: string, fold = IDENTITY): string {
  const b = compileBracket(pattern, 0, fold);
  if (b === null) throw new Error('unterminated');
  let out = '';
  for (let i = 0; i < 256; i++) if (b.table[i] === 1) out += String.fromCharCode(i);
  return out;
}

describe('compileBracket', () => {
  it('returns the byte table and the index after ]', () => {
    const b = compileBracket('x[a-c]y', 1, IDENTITY)!;
    expect(b.next).toBe(6);
    expect(members('[a-c]')).toBe('abc');
    expect(members('[ca]')).toBe('ac');
  });

  it('returns null for an unterminated bracket', () => {
    expect(compileBracket('[abc', 0, IDENTITY)).toBeNull();
    expect(compileBracket('[', 0, IDENTITY)).toBeNull();
    expect(compileBracket('[]', 0, IDENTITY)).toBeNull();
  });

  it('negates over all 256 byte values', () => {
    expect(members('[!a]').length).toBe(255);
    expect(members('[^\x00-\xfe]')).toBe('\xff');
  });

  it('folds members and ranges when asked', () => {
    expect(members('[A]', LOWER)).toBe('Aa');
    expect(members('[A-C]', LOWER)).toBe('ABCabc');
    expect(members('[a-Z]')).toBe('');
    expect(members('[a-Z]', LOWER)).toBe(members('[a-z]', LOWER));
  });

  it('expands classes in the C locale', () => {
    expect(members('[[:digit:]]')).toBe('0123456789');
    expect(members('[[:xdigit:]]')).toBe('0123456789ABCDEFabcdef');
    expect(members('[[:space:]]')).toBe('\t\n\v\f\r ');
    expect(members('[[:blank:]]')).toBe('\t ');
    expect(members('[[:foo:]]')).toBe('');
  });

  it('matches nothing after a range with no end', () => {
    expect(members('[a-')).toBe('');
  });
});
