// Estimated cost of evaluating a check, to order conjuncts and disjuncts cheapest first.
// Conditions have no side effects, so any order gives the same result; only the work done
// before a short circuit changes. Figures are relative, from how much state a field walks and
// how much scanning an operator does; they need only rank checks sensibly.
import type { TypedCheck, TypedOperand } from '../check/typed.ts';

const ANCESTOR = /^proc\.a(name|exe|exepath|cmdline|pid|env)$|^proc\.(p|gp)?(name|exe|exepath|cmdline|pid)$|^proc\.sname|^proc\.vpgid/;

function fieldCost(name: string, indexed: boolean): number {
  if (name === 'evt.type' || name === 'evt.dir' || name === 'evt.num' || name === 'evt.rawres' || name === 'evt.res') return 1;
  if (ANCESTOR.test(name)) return name.startsWith('proc.a') && !indexed ? 12 : 4;
  if (name.startsWith('evt.arg') || name === 'evt.args' || name === 'evt.rawarg' || name.startsWith('evt.is_')) return 3;
  if (name.startsWith('proc.') || name.startsWith('thread.')) return 2;
  if (name.startsWith('fd.') || name.startsWith('fs.path')) return 3;
  if (name.startsWith('user.') || name.startsWith('group.')) return 3;
  if (name.startsWith('container.') || name.startsWith('k8s.')) return 4;
  return 3;
}

function operandCost(o: TypedOperand): number {
  if (o.kind === 'field') return fieldCost(o.field.name, o.argIndex !== undefined);
  let c = 5;
  for (const a of o.args) if (a.kind === 'field' || a.kind === 'transformer') c += operandCost(a);
  return c;
}

const OP_COST: Readonly<Record<string, number>> = {
  exists: 0, '=': 1, '==': 1, '!=': 1, '<': 1, '<=': 1, '>': 1, '>=': 1, in: 1, intersects: 2,
  startswith: 2, endswith: 2, contains: 2, bstartswith: 2, bcontains: 3, icontains: 4, pmatch: 3, glob: 5, iglob: 6, regex: 10,
};

export function checkCost(c: TypedCheck): number {
  const per = OP_COST[c.op] ?? 3;
  const op = c.modifier ? per * Math.max(1, c.values?.length ?? 1) : per;
  return operandCost(c.left) + op + (c.rhs ? operandCost(c.rhs) : 0);
}
