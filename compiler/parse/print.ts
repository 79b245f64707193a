// Falco's canonical printed form of a condition (what `falco` shows as `condition_compiled`).
import type { Expr, Operand, RightHand, TransformerArg } from './ast.ts';
import { escapeValue } from './escaping.ts';

function argSuffix(arg: string | undefined, quote: (s: string) => string): string {
  if (arg === undefined) return '';
  return arg === '' ? '[""]' : `[${quote(arg)}]`;
}

/**
 * `proc.name`, `proc.aname[2]`, `tolower(proc.name)`: an operand as Falco prints it. `quote`
 * writes arguments and values (compiler/plan/keys.ts passes one whose output always reads back).
 */
export function printOperand(o: Operand | TransformerArg, quote: (s: string) => string = escapeValue): string {
  switch (o.kind) {
    case 'field':
      return o.name + argSuffix(o.arg, quote);
    case 'transformer':
      return `${o.name}(${o.args.map((a) => printOperand(a, quote)).join(',')})${argSuffix(o.arg, quote)}`;
    case 'value':
      return quote(o.value);
    case 'transformer_list':
      return `(${o.items.map((a) => printOperand(a, quote)).join(',')})`;
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
