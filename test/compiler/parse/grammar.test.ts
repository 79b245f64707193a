import { describe, expect, test } from 'vitest';
import { parseCondition, positionAt, ConditionSyntaxError, RULE_CONDITION_MAX_DEPTH } from '../../../compiler/parse/parse.ts';
import { printCondition } from '../../../compiler/parse/print.ts';
import { tokenize } from '../../../compiler/parse/lexer.ts';

function error(text: string, depth?: number): ConditionSyntaxError {
  try {
    parseCondition(text, depth);
  } catch (e) {
    if (e instanceof ConditionSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

describe('condition parser', () => {
  test('context decides what a word is', () => {
    // 0x1A is a number after <, a bare string after =
    expect(printCondition(parseCondition('fd.num < 0x1A'))).toBe('fd.num < 0x1A');
    expect(tokenize('fd.num < 0x1A').map((t) => t.tokenType.name)).toEqual(['FieldName', 'NumOp', 'Number']);
    expect(tokenize('fd.name = 0x1A').map((t) => t.tokenType.name)).toEqual(['FieldName', 'StrOp', 'BareStr']);
    // `and` is an identifier where an operand is expected
    expect(parseCondition('andx or b')).toMatchObject({ kind: 'or', children: [{ kind: 'identifier', name: 'andx' }, { kind: 'identifier', name: 'b' }] });
    // word operators need a blank; `in` does not
    expect(error('proc.name contains"x"').message).toMatch(/^expected a valid check operator: one of 'exists', '<=',/);
    expect(parseCondition('proc.name inmy_list')).toMatchObject({ op: 'in', right: { kind: 'value', value: 'my_list' } });
  });

  test('negation folding and precedence', () => {
    expect(printCondition(parseCondition('not not a'))).toBe('a');
    expect(printCondition(parseCondition('not not not a'))).toBe('not a');
    expect(printCondition(parseCondition('a or b and not c'))).toBe('(a or (b and not c))');
  });

  test('modifiers only where Falco takes them', () => {
    expect(parseCondition('proc.name startswith anyof (/etc/, /tmp/)')).toMatchObject({ op: 'startswith anyof' });
    // no blank after `=`: oneof is a bare value, and the list is trailing garbage
    expect(error('proc.name =oneof (a)').message).toBe("unexpected token after 'oneof', expecting 'or', 'and'");
    // `oneof and x`: the keyword after the modifier word turns it back into a value
    expect(parseCondition('proc.name = oneof and x')).toMatchObject({ kind: 'and', children: [{ right: { value: 'oneof' } }, { name: 'x' }] });
  });

  test('messages and positions of errors', () => {
    const e = error('evt.type=execve foo');
    expect(e.message).toBe("unexpected token after 'execve', expecting 'or', 'and'");
    expect(e.offset).toBe(16);
    expect(error('a andb').message).toBe("expected blank or '(' after 'and'");
    expect(error('(a').message).toBe("expected a ')' token");
    expect(error('proc.name in (a,)').message).toBe('expected a string value');
    expect(error('evt.arg[] = x').message).toBe('expected a valid field argument: a quoted string or a bare string');
    expect(error('fd.num > abc').message).toMatch(/^expected a number value or a field with a valid transformer/);
    expect(error('proc.name = "a\\qb"').message).toBe('unsupported string escape sequence: \\q');
    expect(error('').message).toBe('filter input string is empty');
  });

  test('positions count bytes, and \\r and \\n each start a line', () => {
    expect(positionAt('a \n and \n not \n b', 17)).toEqual({ idx: 17, line: 4, col: 3 });
    expect(positionAt('a\r\nb', 3)).toEqual({ idx: 3, line: 3, col: 1 });
  });

  test('depth limit: a clean error, not a stack overflow', () => {
    expect(error('('.repeat(100_000)).message).toBe('exceeded max depth limit of 100');
    expect(error('('.repeat(100_000) + 'a' + ')'.repeat(100_000), RULE_CONDITION_MAX_DEPTH).message).toBe('exceeded max depth limit of 1000');
    // a run of `not` toggles one flag: no nesting, no depth
    expect(parseCondition('not '.repeat(20_000) + 'a', RULE_CONDITION_MAX_DEPTH)).toMatchObject({ kind: 'identifier' });
    // 199 levels of parentheses fit in Falco's rule limit of 1000
    expect(parseCondition('('.repeat(199) + 'a' + ')'.repeat(199), RULE_CONDITION_MAX_DEPTH)).toMatchObject({ kind: 'identifier' });
  });

  test('transformers and field-to-field comparisons', () => {
    const e = parseCondition('tolower(proc.name) = val(proc.pname)');
    expect(printCondition(e)).toBe('tolower(proc.name) = val(proc.pname)');
    expect(printCondition(parseCondition('getopt(proc.args, "nt:")[t] = x'))).toBe('getopt(proc.args,nt:)[t] = x');
    expect(error('proc.name = val(tolower(y.z))').message).toBe("expected a field within 'val' transformer");
  });
});
