import { describe, expect, it } from 'vitest';
import { compileRegex, RegexSyntaxError } from '../../../runtime/operators/regex.ts';
import { evaluate, operatorCases } from './conformance.ts';

const full = (pattern: string, subject: string): boolean => compileRegex(pattern).matchFull(subject);

describe('conformance corpus (operators.yaml)', () => {
  const cases = operatorCases(['regex']);

  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(evaluate(c, (lhs, rhs) => full(rhs, lhs))).toBe(c.expect);
  });
});

describe('compileRegex', () => {
  it('keeps the pattern as source', () => {
    expect(compileRegex('a+b').source).toBe('a+b');
  });

  it('throws RegexSyntaxError with the RE2 text', () => {
    expect(() => compileRegex('(abc')).toThrow(RegexSyntaxError);
    expect(() => compileRegex('(abc')).toThrow('missing ): (abc');
    expect(() => compileRegex('\\d')).toThrow('invalid escape sequence: \\d');
  });

  it('reads the pattern as a C string, like libsinsp', () => {
    expect(full('ab\0c', 'ab')).toBe(true);
    expect(full('ab\0(', 'ab')).toBe(true);
  });
});

// [pattern, subject, expected]; each checked against RE2 2022-06 (POSIX
// options, ANCHOR_BOTH) when written.
type Row = [string, string, boolean];

function table(rows: Row[]): void {
  it.each(rows)('%j on %j is %s', (pattern, subject, expected) => {
    expect(full(pattern, subject)).toBe(expected);
  });
}

describe('whole-string matching', () => {
  table([
    ['abc', 'abc', true],
    ['abc', 'xabc', false],
    ['abc', 'abcx', false],
    ['b', 'abc', false],
    ['', '', true],
    ['', 'a', false],
    ['a|', '', true],
    ['a||b', 'b', true],
    ['()', '', true],
    ['(a|b)c', 'bc', true],
    ['ab|cd', 'abd', false],
    ['a(b|c)*d', 'abcbcd', true],
    ['x*', '', true],
    ['x+', '', false],
    ['x?y', 'y', true],
    ['(ab)+', 'ababab', true],
    ['(ab)+', 'ababa', false],
  ]);
});

describe('repetition', () => {
  table([
    ['a{3}', 'aaa', true],
    ['a{3}', 'aa', false],
    ['a{2,}', 'aaaaaa', true],
    ['a{2,}', 'a', false],
    ['a{2,4}', 'aaaa', true],
    ['a{2,4}', 'aaaaa', false],
    ['a{0}', '', true],
    ['a{0}b', 'ab', false],
    ['a{0,1}', 'a', true],
    ['(ab){2}', 'abab', true],
    ['[s]{1}ysca[l]{2}', 'syscall', true],
    ['a{1000}', 'a'.repeat(1000), true],
    ['a{1000}', 'a'.repeat(999), false],
    ['(a{2}){500}', 'a'.repeat(1000), true],
    // stacked operators are folded, not rejected
    ['a**', 'aaa', true],
    ['a*?', '', true],
    ['a*?', 'aaa', true],
    ['a+?', '', true],
    ['a??', 'a', true],
    ['a++', 'aa', true],
    ['a{2}{3}', 'aaaaaa', true],
    ['a{2}{3}', 'aaaa', false],
    ['a*{2}', 'aaa', true],
    // a { that does not start a valid count is literal
    ['a{,3}', 'a{,3}', true],
    ['a{', 'a{', true],
    ['a{01}', 'a{01}', true],
    ['x{1', 'x{1', true],
    ['{', '{', true],
    ['}', '}', true],
    [']', ']', true],
  ]);
});

describe('anchors (^ and $ match at line boundaries)', () => {
  table([
    ['^abc$', 'abc', true],
    ['^$', '', true],
    ['a^b', 'ab', false],
    ['a$b', 'ab', false],
    ['a$\n^b', 'a\nb', true],
    ['a\n^b', 'a\nb', true],
    ['a$\nb', 'a\nb', true],
    ['(^a|b)+', 'ab', true],
    ['(a|^b)+', 'ab', false],
    ['^*a', 'a', true],
    ['a$*', 'a', true],
    ['.*', 'a\nb', false],
    ['[^x]*', 'a\nb', true],
    ['.*\n.*', 'a\nb', true],
    ['(.*$\n)*.*', 'ab\ncd\nef', true],
  ]);
});

describe('character classes', () => {
  table([
    ['[abc]+', 'cab', true],
    ['[a-c]', 'd', false],
    ['[^a-c]', 'd', true],
    ['[^a-c]', 'b', false],
    ['[^a]', '\n', true],
    ['.', '\n', false],
    ['[]a]+', ']a', true],
    ['[^]a]', ']', false],
    ['[a-]+', 'a-', true],
    ['[-a]', '-', true],
    ['[--/]', '.', true],
    ['[[]', '[', true],
    ['[\\]]', ']', true],
    ['[\\-]', '-', true],
    ['[.]', '.', true],
    ['[.]', 'a', false],
    ['[\\n]', '\n', true],
    ['[\\x41-\\x43]+', 'ABC', true],
    ['[[:digit:]]+', '2024', true],
    ['[[:digit:]]', 'a', false],
    ['[[:^digit:]]', 'a', true],
    ['[[:alpha:][:digit:]_]+', 'a_1', true],
    ['[^[:alnum:]]', '-', true],
    ['[[:space:]]', '\n', true],
    ['[[:space:]]', '\v', true],
    ['[[:blank:]]', '\n', false],
    ['[[:word:]]+', 'ab_9', true],
    ['[[:punct:]]+', '!/:@[`{~', true],
    ['[[:xdigit:]]+', '09afAF', true],
    ['[[:upper:]][[:lower:]]', 'Ab', true],
    ['[[:cntrl:]]', '\x7f', true],
    ['[[:print:]]', ' ', true],
    ['[[:graph:]]', ' ', false],
    ['[[:ascii:]]', '\x7f', true],
    ['[[:ascii:]]', '\xC2\x80', false],
    ['[[a]', 'a', true],
  ]);
});

describe('escapes', () => {
  table([
    ['a\\.b', 'a.b', true],
    ['a\\.b', 'axb', false],
    ['\\*\\+\\?', '*+?', true],
    ['\\(\\)\\[\\]\\{\\}', '()[]{}', true],
    ['\\|\\^\\$\\\\', '|^$\\', true],
    ['\\_\\ \\/\\-', '_ /-', true],
    ['a\\tb', 'a\tb', true],
    ['\\n', '\n', true],
    ['\\r\\f\\v\\a', '\r\f\v\x07', true],
    ['\\x41', 'A', true],
    ['\\x{41}', 'A', true],
    ['\\101', 'A', true],
    ['\\0', '\0', true],
    ['\\08', '\x008', true],
    ['\\12', '\n', true],
  ]);
});

describe('UTF-8', () => {
  table([
    // . is one character: é is two bytes, ☺ three, 😀 four
    ['.', '\xC3\xA9', true],
    ['..', '\xC3\xA9', false],
    ['.', '\xE2\x98\xBA', true],
    ['.', '\xF0\x9F\x98\x80', true],
    ['caf.', 'caf\xC3\xA9', true],
    ['[^a]', '\xC3\xA9', true],
    // each invalid byte reads as U+FFFD, one character
    ['.', '\xFF', true],
    ['/p./q.', '/p\xFF/q\xFF', true],
    ['..', '\xE2\x82', true],
    ['.', '\xE2\x82', false],
    ['...', '\xED\xA0\x80', true], // encoded surrogate: three bad bytes
    ['..', '\xC0\xAF', true], // overlong: two bad bytes
    ['\xEF\xBF\xBD', '\xFF', true],
    ['\\x{FFFD}+', '\x80\x81', true],
    ['\xC3\xA9', '\xC3\xA9', true],
    ['[\xC3\xA0-\xC3\xBC]', '\xC3\xA9', true],
    ['[\xC3\xA0-\xC3\xBC]', '\xC3\xBD', false],
    // escapes name code points, not bytes
    ['\\xe9', '\xC3\xA9', true],
    ['\\xe9', '\xE9', false],
    ['\\x{263a}', '\xE2\x98\xBA', true],
    ['\\351', '\xC3\xA9', true],
    ['[\\x{80}-\\x{10FFFF}]', '\xF4\x8F\xBF\xBF', true],
    ['[[:^ascii:]]', '\xC3\xA9', true],
  ]);
});

describe('NUL bytes in the subject are ordinary characters', () => {
  table([
    ['a.b', 'a\0b', true],
    ['a', 'a\0', false],
    ['a\\x00', 'a\0', true],
  ]);
});

describe('hostile patterns run in linear time', () => {
  const as = 'a'.repeat(100_000);
  const cases: Row[] = [
    ['(a*)*b', as, false],
    ['(a|a)*c', as, false],
    ['(x+x+)+y', as, false],
    ['(a+)+', as, true],
    ['(a|aa)+b', as, false],
    ['(a|aa|aaa)*', as, true],
    ['(.*a){20}', as, true],
    ['(.*a){20}b', as, false],
    ['(a?){1000}a{1000}', 'a'.repeat(1000), true],
    ['(a*)*b', 'a'.repeat(30) + 'c', false],
    ['((a*)*)*((b*)*)*c', 'ab'.repeat(50_000), false],
    ['[^b]*[^c]*[^d]*e', as, false],
    ['(^|a)*$', as, true],
  ];

  it.each(cases.map(([p, s, e]) => [p, s.length, s, e] as const))(
    '%j on %i chars',
    { timeout: 30_000 },
    (pattern, _length, subject, expected) => {
      expect(full(pattern, subject)).toBe(expected);
    },
  );

  it('reuses one compiled pattern across many subjects', { timeout: 30_000 }, () => {
    const re = compileRegex('(x+x+)+y');
    for (let n = 0; n < 2_000; n++) {
      expect(re.matchFull('x'.repeat(n % 50) + (n % 2 ? 'y' : ''))).toBe(n % 2 === 1 && n % 50 >= 2);
    }
  });
});
