import { describe, expect, test } from 'vitest';
import { applyUnaryTransformer, base64Decode, basename, getoptValue } from '../../../runtime/operators/transformers.ts';

describe('transformers', () => {
  test('case, base64, basename, len', () => {
    expect(applyUnaryTransformer('toupper', ['a', 'Bé'], false)).toEqual(['A', 'Bé']);
    expect(base64Decode('YWFhLWJiYg')).toBe('aaa-bbb');
    expect(base64Decode('not base64!')).toBeUndefined();
    expect(applyUnaryTransformer('b64', 'not base64!', false)).toBeUndefined();
    expect(basename('/usr/bin/')).toBe('');
    expect(applyUnaryTransformer('len', 'ab\0cd', false)).toBe(2n);
    expect(applyUnaryTransformer('len', 'ab\0cd', true)).toBe(5n);
    expect(applyUnaryTransformer('len', [], false)).toBe(0n);
  });

  test('getopt', () => {
    expect(getoptValue(['-lpe', '/bin/sh'], 'lp:e:')).toEqual(['l', 'p', 'e']);
    expect(getoptValue(['-x', '-n', '--', '-t'], 'nt:')).toEqual(['?', 'n']);
    expect(getoptValue(['-t'], ':t:')).toEqual(['t', '']);
    expect(getoptValue(['-t', 'v1', '-t', 'v2'], 't:', 't')).toBe('v2');
    expect(getoptValue(['-n'], 'nt:', 't')).toBeUndefined();
  });
});
