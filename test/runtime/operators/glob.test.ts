import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../../runtime/operators/glob.ts';
import { evaluate, operatorCases } from './conformance.ts';

const glob = (pattern: string, subject: string): boolean => compileGlob(pattern, false)(subject);
const iglob = (pattern: string, subject: string): boolean => compileGlob(pattern, true)(subject);

describe('conformance corpus (operators.yaml)', () => {
  const cases = operatorCases(['glob', 'iglob']);

  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(15);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(evaluate(c, (lhs, rhs) => compileGlob(rhs, c.op === 'iglob')(lhs))).toBe(c.expect);
  });
});

describe('wildcards', () => {
  it('matches the whole string', () => {
    expect(glob('abc', 'abc')).toBe(true);
    expect(glob('abc', 'abcd')).toBe(false);
    expect(glob('abc', 'xabc')).toBe(false);
    expect(glob('', '')).toBe(true);
    expect(glob('', 'a')).toBe(false);
  });

  it('lets * match any run of bytes, including / and leading dots', () => {
    expect(glob('*', '')).toBe(true);
    expect(glob('/etc/*', '/etc/ssh/sshd_config')).toBe(true);
    expect(glob('*.conf', '.hidden.conf')).toBe(true);
    expect(glob('/home/*/.ssh/*', '/home/bob/.ssh/id_rsa')).toBe(true);
    expect(glob('a*b*c', 'aXXbYYc')).toBe(true);
    expect(glob('a*b*c', 'aXXbYY')).toBe(false);
    expect(glob('a**b', 'ab')).toBe(true);
    expect(glob('*a', 'bbb')).toBe(false);
  });

  it('lets ? match exactly one byte, any byte', () => {
    expect(glob('a?c', 'abc')).toBe(true);
    expect(glob('a?c', 'a/c')).toBe(true);
    expect(glob('a?c', 'ac')).toBe(false);
    expect(glob('?', '\xFF')).toBe(true);
    // é is two bytes
    expect(glob('caf?', 'caf\xC3\xA9')).toBe(false);
    expect(glob('caf??', 'caf\xC3\xA9')).toBe(true);
    expect(glob('*?', '')).toBe(false);
    expect(glob('*??', 'ab')).toBe(true);
  });

  it('treats a backslash as an escape', () => {
    expect(glob('\\*', '*')).toBe(true);
    expect(glob('\\*', 'a')).toBe(false);
    expect(glob('a\\?', 'a?')).toBe(true);
    expect(glob('\\[a]', '[a]')).toBe(true);
    expect(glob('\\a', 'a')).toBe(true);
    expect(glob('\\\\', '\\')).toBe(true);
  });

  it('never matches with a trailing backslash', () => {
    expect(glob('abc\\', 'abc\\')).toBe(false);
    expect(glob('abc\\', 'abc')).toBe(false);
    expect(glob('*\\', 'x')).toBe(false);
  });

  it('stops pattern and subject at NUL (C strings)', () => {
    expect(glob('ab', 'ab\0cd')).toBe(true);
    expect(glob('ab\0zz', 'ab')).toBe(true);
    expect(glob('*d', 'ab\0cd')).toBe(false);
  });
});

describe('bracket expressions', () => {
  it('matches listed bytes and ranges', () => {
    expect(glob('[abc]', 'b')).toBe(true);
    expect(glob('[abc]', 'd')).toBe(false);
    expect(glob('[a-z]x', 'qx')).toBe(true);
    expect(glob('[a-z]', 'Q')).toBe(false);
    expect(glob('[0-9a-f]', 'e')).toBe(true);
    expect(glob('file[0-9][0-9]', 'file42')).toBe(true);
  });

  it('negates with ! or ^', () => {
    expect(glob('[!a]', 'a')).toBe(false);
    expect(glob('[!a]', 'b')).toBe(true);
    expect(glob('[^a]', 'a')).toBe(false);
    expect(glob('[^a]', 'b')).toBe(true);
    expect(glob('[!a-c]', '/')).toBe(true);
  });

  it('takes ] first as a member and - first or last as a member', () => {
    expect(glob('[]]', ']')).toBe(true);
    expect(glob('[]a]', 'a')).toBe(true);
    expect(glob('[!]]', ']')).toBe(false);
    expect(glob('[!]]', 'x')).toBe(true);
    expect(glob('[a-]', '-')).toBe(true);
    expect(glob('[-a]', '-')).toBe(true);
    expect(glob('[--0]', '.')).toBe(true); // range '-'..'0'
  });

  it('matches nothing for a reversed range', () => {
    expect(glob('[z-a]', 'z')).toBe(false);
    expect(glob('[z-a]', 'm')).toBe(false);
    expect(glob('[z-ab]', 'b')).toBe(true);
  });

  it('honours escapes inside brackets', () => {
    expect(glob('[\\]]', ']')).toBe(true);
    expect(glob('[\\!a]', '!')).toBe(true);
    expect(glob('[a\\-z]', '-')).toBe(true);
    expect(glob('[a\\-z]', 'm')).toBe(false);
  });

  it('supports every C-locale character class', () => {
    const classes: [string, string, string][] = [
      ['alnum', 'a7Z', '_- '],
      ['alpha', 'aZ', '1_'],
      ['blank', ' \t', '\n_'],
      ['cntrl', '\x01\x1f\x7f', ' a'],
      ['digit', '09', 'a '],
      ['graph', '!~a', ' \x7f'],
      ['lower', 'az', 'A1'],
      ['print', ' ~a', '\x7f\t'],
      ['punct', '!/:@[`{~', 'a0 '],
      ['space', ' \t\n\v\f\r', 'a\x01'],
      ['upper', 'AZ', 'a1'],
      ['xdigit', '09afAF', 'gG'],
    ];
    for (const [name, yes, no] of classes) {
      const m = compileGlob(`[[:${name}:]]`, false);
      for (const ch of yes) expect(m(ch), `${name} ${JSON.stringify(ch)}`).toBe(true);
      for (const ch of no) expect(m(ch), `${name} ${JSON.stringify(ch)}`).toBe(false);
      expect(m('\xE9'), `${name} high byte`).toBe(false);
    }
    expect(glob('[[:digit:]_]x', '_x')).toBe(true);
    expect(glob('[![:digit:]]', '5')).toBe(false);
    expect(glob('[![:digit:]]', 'x')).toBe(true);
  });

  it('never matches through an unknown class name', () => {
    expect(glob('[[:foo:]]', 'f')).toBe(false);
    expect(glob('[![:foo:]]', 'x')).toBe(false);
    // members listed before the bad name still match, as in glibc
    expect(glob('[a[:foo:]]', 'a')).toBe(true);
    expect(glob('[a[:foo:]]', 'b')).toBe(false);
  });

  it('reads [: without a valid name as plain members', () => {
    expect(glob('[[:a1:]]', ':]')).toBe(true); // members [ : a 1 then literal ]
    expect(glob('[[:]', '[')).toBe(true);
  });

  it('supports one-character [=c=] and [.c.]', () => {
    expect(glob('[[=a=]]', 'a')).toBe(true);
    expect(glob('[[=a=]]', 'b')).toBe(false);
    expect(glob('[[.a.]b]', 'a')).toBe(true);
    expect(glob('[[.a.]-c]', 'b')).toBe(true);
    expect(glob('[[.ab.]]', 'a')).toBe(false);
  });

  it('treats an unterminated [ as a literal', () => {
    expect(glob('[abc', '[abc')).toBe(true);
    expect(glob('[abc', 'a')).toBe(false);
    expect(glob('a[', 'a[')).toBe(true);
    expect(glob('[', '[')).toBe(true);
    expect(glob('[!', '[!')).toBe(true);
    // the [ is literal, then [:alpha:] is a bracket of its own
    expect(glob('[[:alpha:]', '[a')).toBe(true);
    expect(glob('[[:alpha:]', '[[')).toBe(false);
  });

  it('never matches a range without an end', () => {
    expect(glob('[a-', 'a')).toBe(false);
    expect(glob('[a-', '[a-')).toBe(false);
  });

  it('works on raw bytes', () => {
    expect(glob('[\xFF]', '\xFF')).toBe(true);
    expect(glob('[\x80-\xFF]', '\xC3')).toBe(true);
    expect(glob('[!\x80-\xFF]', '\xC3')).toBe(false);
  });
});

describe('iglob (FNM_CASEFOLD)', () => {
  it('folds ASCII letters on both sides', () => {
    expect(iglob('*.TXT', 'notes.txt')).toBe(true);
    expect(iglob('*.txt', 'NOTES.TXT')).toBe(true);
    expect(iglob('MY*', 'myexe')).toBe(true);
    expect(iglob('[A-Z]', 'q')).toBe(true);
    expect(iglob('[a-z]', 'Q')).toBe(true);
    expect(iglob('[!A]', 'a')).toBe(false);
    expect(iglob('\\A', 'a')).toBe(true);
    expect(glob('*.TXT', 'notes.txt')).toBe(false);
  });

  it('does not fold bytes above 0x7F', () => {
    expect(iglob('\xC9', '\xE9')).toBe(false);
  });

  it('tests class membership on the unfolded byte, like glibc', () => {
    expect(iglob('[[:upper:]]', 'A')).toBe(true);
    expect(iglob('[[:upper:]]', 'a')).toBe(false);
  });
});

describe('hostile patterns', () => {
  const long = 'a'.repeat(100_000);

  it('stays polynomial on stars that cannot match', { timeout: 20_000 }, () => {
    expect(glob('*a*a*a*a*a*b', long)).toBe(false);
    expect(glob('*a*a*a*a*a*', long)).toBe(true);
    expect(glob('*?*?*?*?*?*b', long)).toBe(false);
    expect(iglob('*A*A*A*A*A*B', long)).toBe(false);
    expect(glob('*[ab]*[ab]*[ab]*c', long)).toBe(false);
  });

  it('copes with many stars in a long pattern', { timeout: 20_000 }, () => {
    const pattern = '*a'.repeat(500) + '*b';
    expect(glob(pattern, 'a'.repeat(5_000))).toBe(false);
    expect(glob(pattern, 'a'.repeat(5_000) + 'b')).toBe(true);
  });
});
