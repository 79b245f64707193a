// Falco's canonical printed form of a condition (what `falco` shows as `condition_compiled`).
import type { Expr, Operand, RightHand, TransformerArg } from './ast.ts';
import { escapeValue } from './escaping.ts';

function argSuffix(arg: string | undefined): string {
  if (arg === undefined) return '';
  return arg === '' ? '[""]' : `[${escapeValue(arg)}]`;
}

/** `proc.name`, `proc.aname[2]`, `tolower(proc.name)`: an operand as Falco prints it. */
export function printOperand(o: Operand | TransformerArg): string {
  switch (o.kind) {
    case 'field':
      return o.name + argSuffix(o.arg);
    case 'transformer':
      return `${o.name}(${o.args.map(printOperand).join(',')})${argSuffix(o.arg)}`;
    case 'value':
      return escapeValue(o.value);
    case 'transformer_list':
      return `(${o.items.map(printOperand).join(',')})`;
  }
}

function right(r: RightHand): string {
  return r.kind === 'list' ? `(${r.values.map(escapeValue).join(', ')})` : printOperand(r);
}

export function printCondition(e: Expr): string {
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${e.children.map(printCondition).join(` ${e.kind} `)})`;
    case 'not':
      return `not ${printCondition(e.child)}`;
    case 'identifier':
      return e.name;
    case 'unary':
      return `${printOperand(e.left)} exists`;
    case 'binary':
      return `${printOperand(e.left)} ${e.op} ${right(e.right)}`;
  }
}
