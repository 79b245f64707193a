import { describe, expect, test } from 'vitest';
import { Interpreter } from '../../../runtime/interpreter/evaluate.ts';
import { typecheck } from '../../../compiler/check/typecheck.ts';
import { parseCondition } from '../../../compiler/parse/parse.ts';
import { catalogFor } from '../../../runtime/fields/catalog.ts';
import type { Extracted } from '../../../runtime/operators/values.ts';

function run(condition: string, values: Record<string, Extracted>): boolean {
  const typed = typecheck(parseCondition(condition), { catalog: catalogFor('syscall')! }).typed;
  return new Interpreter(typed).evaluate({ extract: (f) => values[f.node.arg === undefined ? f.field.name : `${f.field.name}[${f.node.arg}]`] });
}

describe('reference interpreter', () => {
  test('boolean structure and missing fields', () => {
    expect(run('proc.name = cat and not fd.name startswith /etc', { 'proc.name': 'cat', 'fd.name': '/tmp/x' })).toBe(true);
    expect(run('proc.name != cat', {})).toBe(false);
    expect(run('not proc.name = cat', {})).toBe(true);
  });

  test('transformers and val()', () => {
    expect(run('toupper(proc.name) = CAT and proc.name = val(proc.pname)', { 'proc.name': 'cat', 'proc.pname': 'cat' })).toBe(true);
    expect(run('concat(proc.name, "-", proc.pname) = cat-bash', { 'proc.name': 'cat', 'proc.pname': 'bash' })).toBe(true);
    expect(run('concat(proc.name, proc.pname) = x', { 'proc.name': 'cat' })).toBe(false);
    expect(run('len(fd.types) = 2', { 'fd.types': ['file', 'ipv4'] })).toBe(true);
  });

  test('ancestor arguments are separate fields', () => {
    expect(run('proc.aname[2] = sshd', { 'proc.aname[2]': 'sshd' })).toBe(true);
  });
});
