// Operand keys are also the text a bundle hands the runtime to rebuild each extractor: whatever
// the field argument or transformer value, the text must read back as the same operand.
import { describe, expect, it } from 'vitest';
import { operandKey } from '../../../compiler/plan/keys.ts';
import { parseCondition } from '../../../compiler/parse/parse.ts';
import { typecheck } from '../../../compiler/check/typecheck.ts';
import type { TypedOperand } from '../../../compiler/check/typed.ts';
import { operandFromText } from '../../../runtime/engine/bundle-runtime.ts';
import { catalogFor, SYSCALL_SOURCE } from '../../../runtime/fields/catalog.ts';

const catalog = catalogFor(SYSCALL_SOURCE)!;

function leftOf(condition: string): TypedOperand {
  const typed = typecheck(parseCondition(condition), { catalog }).typed;
  if (typed.kind !== 'check') throw new Error('not a check');
  return typed.left;
}

/** Field names, arguments and constant values of an operand, in order. */
function shape(o: TypedOperand): unknown {
  if (o.kind === 'field') return [o.field.name, o.arg ?? null];
  return [o.name, o.arg ?? null, o.args.map((a) => (a.kind === 'constant' ? a.value : a.kind === 'arglist' ? a.items.map((i) => (i.kind === 'constant' ? i.value : shape(i))) : shape(a)))];
}

describe('operandKey', () => {
  it.each([
    'proc.name', 'proc.aname[2]', 'evt.arg.flags', 'evt.arg[0]', 'proc.env[HOME]', 'tolower(fd.name)', 'basename(tolower(proc.exe))', 'proc.env[""]',
    'proc.env["a]b"]', 'proc.env["a[b"]', 'proc.env["a\\x0bb"]', 'proc.env["tail\\x5c"]', 'proc.env["q\\"uote"]', "proc.env['\"']", 'proc.env["a b"]',
    'proc.env["\\xff\\x01"]', 'proc.aenv[`${x}`]', 'proc.env[*/]', 'concat(proc.name, "a,b)", fd.name)', 'concat(proc.name, "tail\\x5c")',
    'concat(proc.name, "x=y (z)")', "concat(proc.name, 'it\\'s')",
  ])('%s reads back as the same operand', (text) => {
    const left = leftOf(`${text} exists`);
    const key = operandKey(left);
    const back = operandFromText(key, catalog);
    expect(shape(back)).toEqual(shape(left));
    expect(operandKey(back)).toBe(key);
  });

  it('keeps Falco\'s printed form for ordinary operands', () => {
    expect(operandKey(leftOf('proc.aname[2] exists'))).toBe('proc.aname[2]');
    expect(operandKey(leftOf('tolower(proc.env[HOME]) exists'))).toBe('tolower(proc.env[HOME])');
    expect(operandKey(leftOf('proc.env["a]b"] exists'))).toBe('proc.env["a]b"]');
    expect(operandKey(leftOf('proc.env["a\\\\b"] exists'))).toBe('proc.env["a\\x5cb"]');
  });
});
