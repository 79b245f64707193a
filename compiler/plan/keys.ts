// Structural keys for typed conditions: two sub-expressions with the same key give the same
// result on every event, so the evaluator may compute them once.
import { printOperand } from '../parse/print.ts';
import type { Constant, TypedCheck, TypedOperand } from '../check/typed.ts';

export function operandKey(o: TypedOperand): string {
  return printOperand(o.node);
}

function constantKey(c: Constant): string {
  switch (c.kind) {
    case 'bytes':
      return JSON.stringify(c.value);
    case 'int':
      return `${c.value}n`;
    case 'bool':
      return String(c.value);
    case 'ip':
      return `ip${c.family}:${Array.from(c.addr).join('.')}`;
    case 'net':
      return `net${c.family}:${Array.from(c.addr).join('.')}/${c.prefix}`;
  }
}

export function checkKey(c: TypedCheck): string {
  const op = c.modifier ? `${c.op}.${c.modifier}` : c.op;
  const rhs = c.rhs ? ` val:${operandKey(c.rhs)}` : c.values ? ` [${c.values.map(constantKey).join(',')}]` : '';
  return `${operandKey(c.left)} ${op}${c.listSyntax ? ' list' : ''}${rhs}`;
}
