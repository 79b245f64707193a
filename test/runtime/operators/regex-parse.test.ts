import { describe, expect, it } from 'vitest';
import { MAX_RUNE, parseRegex, RegexSyntaxError, type RegexNode } from '../../../runtime/operators/regex-parse.ts';

const ast = (pattern: string): RegexNode => parseRegex(pattern).root;

function errorOf(pattern: string): string {
  try {
    parseRegex(pattern);
  } catch (e) {
    expect(e).toBeInstanceOf(RegexSyntaxError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(pattern)}`);
}

describe('syntax errors carry RE2 texts', () => {
  // [pattern, message]; the texts are RE2's (2022-06) for POSIX-syntax mode.
  const cases: [string, string][] = [
    ['(abc', 'missing ): (abc'],
    ['x(a(b)', 'missing ): x(a(b)'],
    ['abc)', 'unexpected ): abc)'],
    [')', 'unexpected ): )'],
    ['[abc', 'missing ]: [abc'],
    ['x[a-c', 'missing ]: [a-c'],
    ['[', 'missing ]: ['],
    ['[]', 'missing ]: []'],
    ['[^', 'missing ]: [^'],
    ['[z-a]', 'invalid character class range: z-a'],
    ['[\\x7a-a]', 'invalid character class range: \\x7a-a'],
    ['[a-b-c]', 'invalid character class range: -c'],
    ['[[:alpha:]-z]', 'invalid character class range: -z'],
    ['[[:foo:]]', 'invalid character class range: [:foo:]'],
    ['[[:^word:x:]]', 'invalid character class range: [:^word:x:]'],
    ['[a-', 'invalid UTF-8'],
    ['*', 'no argument for repetition operator: *'],
    ['+a', 'no argument for repetition operator: +'],
    ['a|?', 'no argument for repetition operator: ?'],
    ['(*a)', 'no argument for repetition operator: *'],
    ['{2}', 'no argument for repetition operator: {2}'],
    ['a|{1,}', 'no argument for repetition operator: {1,}'],
    ['a{1001}', 'invalid repetition size: {1001}'],
    ['a{1001,}', 'invalid repetition size: {1001,}'],
    ['a{0,1001}', 'invalid repetition size: {0,1001}'],
    ['a{2,1}', 'invalid repetition size: {2,1}'],
    ['{1001}', 'invalid repetition size: {1001}'],
    ['(a{100}){11}', 'invalid repetition size: {11}'],
    ['((a{10}){10}){11}', 'invalid repetition size: {11}'],
    ['(a{2}){501}', 'invalid repetition size: {501}'],
    ['a{100000000}', 'invalid repetition size: {100000000}'],
    ['\\', 'trailing \\'],
    ['abc\\', 'trailing \\'],
    ['\\d', 'invalid escape sequence: \\d'],
    ['\\w+', 'invalid escape sequence: \\w'],
    ['\\s', 'invalid escape sequence: \\s'],
    ['\\D', 'invalid escape sequence: \\D'],
    ['\\b', 'invalid escape sequence: \\b'],
    ['\\B', 'invalid escape sequence: \\B'],
    ['\\A', 'invalid escape sequence: \\A'],
    ['\\z', 'invalid escape sequence: \\z'],
    ['\\Z', 'invalid escape sequence: \\Z'],
    ['\\C', 'invalid escape sequence: \\C'],
    ['\\Qa\\E', 'invalid escape sequence: \\Q'],
    ['\\pL', 'invalid escape sequence: \\p'],
    ['\\p{Greek}', 'invalid escape sequence: \\p'],
    ['[\\d]', 'invalid escape sequence: \\d'],
    ['\\1', 'invalid escape sequence: \\1'],
    ['(a)\\1', 'invalid escape sequence: \\1'],
    ['\\8', 'invalid escape sequence: \\8'],
    ['\\x', 'invalid escape sequence: \\x'],
    ['\\xA', 'invalid escape sequence: \\xA'],
    ['\\xAG', 'invalid escape sequence: \\xAG'],
    ['\\x{}', 'invalid escape sequence: \\x{}'],
    ['\\x{41', 'invalid escape sequence: \\x{41'],
    ['\\x{4g}', 'invalid escape sequence: \\x{4g'],
    ['\\x{110000}', 'invalid escape sequence: \\x{110000'],
    ['\\x{', 'invalid UTF-8'],
    ['\\\xC3\xA9', 'invalid escape sequence: \\\xC3\xA9'],
    ['(?i)abc', 'no argument for repetition operator: ?'],
    ['(?:abc)', 'no argument for repetition operator: ?'],
    ['(?P<name>a)', 'no argument for repetition operator: ?'],
    ['a\xFF', 'invalid UTF-8'],
    ['\x80', 'invalid UTF-8'],
    ['\xC3', 'invalid UTF-8'],
    ['\xC0\xAF', 'invalid UTF-8'], // overlong '/'
    ['\xF4\x90\x80\x80', 'invalid UTF-8'], // above U+10FFFF
    ['[\xFF]', 'invalid UTF-8'],
    ['[a-\xFF]', 'invalid UTF-8'],
  ];

  it.each(cases)('%j', (pattern, message) => {
    expect(errorOf(pattern)).toBe(message);
  });

  it('reports the first error from the left', () => {
    expect(errorOf('\\d(')).toBe('invalid escape sequence: \\d');
    expect(errorOf('(\\d')).toBe('invalid escape sequence: \\d');
  });
});

describe('accepted syntax', () => {
  const ok = [
    '',
    'a|',
    '|a',
    'a||b',
    '()',
    '(|)',
    '^*',
    '$+',
    'a{1000}',
    'a{0}',
    'a{0,0}',
    'a{2,}',
    '(a{10}){100}',
    '(a{2}){500}',
    'a{,3}',
    'a{',
    'a{1',
    'a{1,2',
    'a{x}',
    'a{01}',
    '{',
    '}',
    ']',
    'a]',
    '[]a]',
    '[^]a]',
    '[a-]',
    '[-a]',
    '[--/]',
    '[[]',
    '[[:alpha:][:digit:]]',
    '[[:^space:]]',
    '[[a]',
    '[\\]]',
    '[\\-]',
    '\\_',
    '\\ ',
    '\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\\\/\\-',
    '\\0',
    '\\01',
    '\\377',
    '\\x{10FFFF}',
    '\xED\xA0\x80', // surrogate code points are accepted in patterns
    '\xEF\xBF\xBD',
  ];

  it.each(ok)('%j', (pattern) => {
    expect(() => parseRegex(pattern)).not.toThrow();
  });
});

describe('tree shapes', () => {
  it('folds stacked repetition operators as RE2 does in POSIX mode', () => {
    const star = { kind: 'star', sub: { kind: 'literal', rune: 0x61 } };
    expect(ast('a**')).toEqual(star);
    expect(ast('a*?')).toEqual(star);
    expect(ast('a+?')).toEqual(star);
    expect(ast('a?*')).toEqual(star);
    expect(ast('a++')).toEqual({ kind: 'plus', sub: { kind: 'literal', rune: 0x61 } });
    expect(ast('a??')).toEqual({ kind: 'quest', sub: { kind: 'literal', rune: 0x61 } });
  });

  it('nests counted repetitions instead of folding them', () => {
    expect(ast('a{2}{3}')).toEqual({
      kind: 'repeat',
      min: 3,
      max: 3,
      sub: { kind: 'repeat', min: 2, max: 2, sub: { kind: 'literal', rune: 0x61 } },
    });
    expect(ast('a*{2}')).toEqual({
      kind: 'repeat',
      min: 2,
      max: 2,
      sub: { kind: 'star', sub: { kind: 'literal', rune: 0x61 } },
    });
  });

  it('applies a repetition to the last atom only', () => {
    expect(ast('ab*')).toEqual({
      kind: 'concat',
      subs: [
        { kind: 'literal', rune: 0x61 },
        { kind: 'star', sub: { kind: 'literal', rune: 0x62 } },
      ],
    });
  });

  it('reads an invalid counted repetition as literal text', () => {
    expect(ast('a{,3}')).toEqual({
      kind: 'concat',
      subs: [0x61, 0x7b, 0x2c, 0x33, 0x7d].map((rune) => ({ kind: 'literal', rune })),
    });
  });

  it('decodes UTF-8 literals and escapes', () => {
    expect(ast('\xC3\xA9')).toEqual({ kind: 'literal', rune: 0xe9 });
    expect(ast('\\xe9')).toEqual({ kind: 'literal', rune: 0xe9 });
    expect(ast('\\x{263a}')).toEqual({ kind: 'literal', rune: 0x263a });
    expect(ast('\\101')).toEqual({ kind: 'literal', rune: 0x41 });
    expect(ast('\\0')).toEqual({ kind: 'literal', rune: 0 });
    expect(ast('\\n')).toEqual({ kind: 'literal', rune: 0x0a });
    expect(ast('\\v')).toEqual({ kind: 'literal', rune: 0x0b });
    expect(ast('\\a')).toEqual({ kind: 'literal', rune: 0x07 });
  });

  it('takes at most three octal digits', () => {
    expect(ast('\\1234')).toEqual({
      kind: 'concat',
      subs: [
        { kind: 'literal', rune: 0o123 },
        { kind: 'literal', rune: 0x34 },
      ],
    });
  });

  it('builds classes as sorted, merged ranges', () => {
    expect(ast('[c-ea-bx]')).toEqual({ kind: 'class', ranges: [0x61, 0x65, 0x78, 0x78] });
    expect(ast('[^a]')).toEqual({ kind: 'class', ranges: [0, 0x60, 0x62, MAX_RUNE] });
    expect(ast('[[:digit:]]')).toEqual({ kind: 'class', ranges: [0x30, 0x39] });
    expect(ast('[[:^digit:]]')).toEqual({ kind: 'class', ranges: [0, 0x2f, 0x3a, MAX_RUNE] });
    expect(ast('.')).toEqual({ kind: 'class', ranges: [0, 0x09, 0x0b, MAX_RUNE] });
  });

  it('maps ^ and $ to line anchors', () => {
    expect(ast('^$')).toEqual({ kind: 'concat', subs: [{ kind: 'beginLine' }, { kind: 'endLine' }] });
  });
});
