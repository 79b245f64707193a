import { describe, expect, it } from 'vitest';
import {
  bcontains,
  bendswith,
  bstartswith,
  contains,
  cString,
  endsWith,
  icontains,
  parseHexBytes,
  startsWith,
} from '../../../runtime/operators/strings.ts';
import { evaluate, operatorCases } from './conformance.ts';

describe('conformance corpus (operators.yaml)', () => {
  const cases = operatorCases(['contains', 'icontains', 'startswith', 'endswith', 'bcontains', 'bstartswith']);

  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const check = (lhs: string, rhs: string): boolean => {
      switch (c.op) {
        case 'bcontains':
        case 'bstartswith': {
          const needle = parseHexBytes(rhs);
          expect(needle).not.toBeNull();
          return c.op === 'bcontains' ? bcontains(lhs, needle!) : bstartswith(lhs, needle!);
        }
        case 'contains':
          return c.fieldType === 'bytebuf' ? bcontains(lhs, rhs) : contains(lhs, rhs);
        case 'icontains':
          return icontains(lhs, rhs);
        case 'startswith':
          return c.fieldType === 'bytebuf' ? bstartswith(lhs, rhs) : startsWith(lhs, rhs);
        default:
          return c.fieldType === 'bytebuf' ? bendswith(lhs, rhs) : endsWith(lhs, rhs);
      }
    };
    expect(evaluate(c, check)).toBe(c.expect);
  });
});

describe('cString', () => {
  it('cuts at the first NUL', () => {
    expect(cString('abc')).toBe('abc');
    expect(cString('ab\0cd\0')).toBe('ab');
    expect(cString('\0x')).toBe('');
  });
});

describe('contains / startsWith / endsWith (C strings)', () => {
  it('finds substrings, prefixes and suffixes', () => {
    expect(contains('/usr/bin/bash', 'bin')).toBe(true);
    expect(contains('/usr/bin/bash', 'sbin')).toBe(false);
    expect(startsWith('/usr/bin/bash', '/usr/')).toBe(true);
    expect(startsWith('/usr/bin/bash', 'usr')).toBe(false);
    expect(endsWith('/usr/bin/bash', '/bash')).toBe(true);
    expect(endsWith('/usr/bin/bash', 'bas')).toBe(false);
  });

  it('is true for an empty needle', () => {
    expect(contains('abc', '')).toBe(true);
    expect(contains('', '')).toBe(true);
    expect(startsWith('abc', '')).toBe(true);
    expect(endsWith('abc', '')).toBe(true);
  });

  it('is case-sensitive and compares bytes', () => {
    expect(contains('ABC', 'b')).toBe(false);
    expect(contains('caf\xC3\xA9', '\xA9')).toBe(true);
    expect(endsWith('/p\xFF', '\xFF')).toBe(true);
  });

  it('ignores everything after a NUL on either side', () => {
    expect(contains('abc\0def', 'def')).toBe(false);
    expect(contains('abcdef', 'abc\0zzz')).toBe(true);
    expect(endsWith('abc\0def', 'c')).toBe(true);
    expect(startsWith('ab', 'ab\0c')).toBe(true);
  });
});

describe('icontains', () => {
  it('folds ASCII letters only', () => {
    expect(icontains('/Opt/SubDir', '/subdir')).toBe(true);
    expect(icontains('hello', 'HELLO')).toBe(true);
    expect(icontains('h\xC9llo', '\xE9')).toBe(false); // Latin-1 bytes are not letters in C
    expect(icontains('\xC3\x89', '\xC3\xA9')).toBe(false); // nor is UTF-8 É vs é
    expect(icontains('[x]', '[X]')).toBe(true);
    expect(icontains('@', '`')).toBe(false);
  });

  it('is true for an empty needle and stops at NUL', () => {
    expect(icontains('abc', '')).toBe(true);
    expect(icontains('abc\0DEF', 'def')).toBe(false);
  });
});

describe('byte-buffer helpers', () => {
  it('compare every byte, NULs included', () => {
    expect(bcontains('a\0b', '\0b')).toBe(true);
    expect(bcontains('a\0b', 'a\x01')).toBe(false);
    expect(bstartswith('a\0b', 'a\0')).toBe(true);
    expect(bstartswith('a\0b', 'b')).toBe(false);
    expect(bendswith('a\0b', '\0b')).toBe(true);
    expect(bcontains('abc', '')).toBe(true);
  });
});

describe('parseHexBytes', () => {
  it('decodes pairs of hex digits in either case', () => {
    expect(parseHexBytes('68656c6c6f')).toBe('hello');
    expect(parseHexBytes('656c6C')).toBe('ell');
    expect(parseHexBytes('00ff7F')).toBe('\0\xFF\x7F');
    expect(parseHexBytes('')).toBe('');
  });

  it('rejects odd lengths and non-hex text', () => {
    expect(parseHexBytes('abc')).toBeNull();
    expect(parseHexBytes('zz')).toBeNull();
    expect(parseHexBytes('0x41')).toBeNull();
    expect(parseHexBytes('41 42')).toBeNull();
  });
});
