// The conformance corpus's notation for ASTs and node positions (shared/conformance/README.md).
import type { Expr, Operand, RightHand, TransformerArg } from '../parse/ast.ts';
import { positionAt } from '../parse/parse.ts';

type Shape = Record<string, unknown>;

function operandShape(o: Operand | TransformerArg): Shape {
  switch (o.kind) {
    case 'field':
      return o.arg === undefined ? { field: o.name } : { field: o.name, arg: o.arg };
    case 'transformer': {
      const s: Shape = { transformer: o.name, args: o.args.map(operandShape) };
      if (o.arg !== undefined) s.arg = o.arg;
      return s;
    }
    case 'value':
      return { value: o.value };
    case 'transformer_list':
      return { tlist: o.items.map(operandShape) };
  }
}

function rightShape(r: RightHand): Shape {
  return r.kind === 'list' ? { list: r.values } : operandShape(r);
}

export function astShape(e: Expr): Shape {
  switch (e.kind) {
    case 'and':
      return { and: e.children.map(astShape) };
    case 'or':
      return { or: e.children.map(astShape) };
    case 'not':
      return { not: astShape(e.child) };
    case 'identifier':
      return { ident: e.name };
    case 'unary':
      return { check: { left: operandShape(e.left), op: e.op } };
    case 'binary':
      return { check: { left: operandShape(e.left), op: e.op, right: rightShape(e.right) } };
  }
}

export type PositionEntry = [kind: string, idx: number, line: number, col: number];

/** Pre-order node start positions; a transformer's arguments are listed, a transformer list's members are not. */
export function nodePositions(e: Expr, text: string): PositionEntry[] {
  const out: PositionEntry[] = [];
  const at = (kind: string, start: number) => {
    const p = positionAt(text, start);
    out.push([kind, p.idx, p.line, p.col]);
  };
  const operand = (o: Operand | TransformerArg) => {
    if (o.kind === 'transformer') {
      at('transformer', o.start);
      o.args.forEach(operand);
    } else at(o.kind, o.start);
  };
  const walk = (n: Expr) => {
    switch (n.kind) {
      case 'and':
      case 'or':
        at(n.kind, n.start);
        n.children.forEach(walk);
        break;
      case 'not':
        at('not', n.start);
        walk(n.child);
        break;
      case 'identifier':
        at('identifier', n.start);
        break;
      case 'unary':
      case 'binary':
        at(n.kind, n.start);
        // The left operand is recorded where its check starts.
        if (n.left.kind === 'field') at('field', n.start);
        else operand(n.left);
        if (n.kind === 'binary') {
          if (n.right.kind === 'list') at('list', n.right.start);
          else operand(n.right);
        }
        break;
    }
  };
  walk(e);
  return out;
}
