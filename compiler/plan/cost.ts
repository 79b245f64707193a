// Estimated cost and pass rate of checks, to order conjuncts and disjuncts. Conditions have no
// side effects, so any order gives the same result; only the work done before a short circuit
// changes. An `and` runs cheapest-per-rejection first (cost / (1 - pass)), an `or`
// cheapest-per-acceptance first (cost / pass), the classic expected-cost order. Figures are
// relative, from what extraction does (measured per field on the oracle capture: a flag or a
// table lookup is ~1, building a path or a command line ~5, rendering flags ~10) and how
// selective an operator usually is against constants; they need only rank checks sensibly.
import type { TypedCheck, TypedOperand } from '../check/typed.ts';

/** Fields that build text or walk tables on every read. */
const EXPENSIVE: Readonly<Record<string, number>> = {
  'proc.cmdline': 5, 'proc.args': 4, 'proc.env': 5, 'proc.exeline': 5, 'proc.pcmdline': 6, 'proc.acmdline': 8,
  'evt.args': 10, 'evt.info': 10, 'evt.arg': 6, 'evt.rawarg': 2, 'thread.cap_effective': 8, 'thread.cap_permitted': 8,
  'thread.cap_inheritable': 8, 'fd.name': 3, 'fd.nameraw': 3, 'fd.directory': 3, 'fd.filename': 3, 'fd.ip': 6,
  'fd.cip': 3, 'fd.sip': 3, 'fd.lip': 3, 'fd.rip': 3, 'fd.net': 6, 'fd.cnet': 3, 'fd.snet': 3, 'fs.path.name': 4,
  'fs.path.source': 4, 'fs.path.target': 4, 'user.name': 2, 'group.name': 2, 'proc.sname': 6, 'proc.vpgid.name': 6,
};

export function fieldCost(name: string, indexed: boolean): number {
  const fixed = EXPENSIVE[name];
  if (fixed !== undefined) return fixed;
  if (/^proc\.a(name|exe|exepath|pid|env)$/.test(name)) return indexed ? 3 : 10;
  if (/^proc\.(p|gp)/.test(name)) return 2;
  if (name.startsWith('container.') || name.startsWith('k8s.')) return 2;
  return 1;
}

export function operandCost(o: TypedOperand): number {
  if (o.kind === 'field') return fieldCost(o.field.name, o.argIndex !== undefined);
  let c = 3;
  for (const a of o.args) if (a.kind === 'field' || a.kind === 'transformer') c += operandCost(a);
  return c;
}

const OP_COST: Readonly<Record<string, number>> = {
  exists: 0.1, '=': 0.2, '==': 0.2, '!=': 0.2, '<': 0.2, '<=': 0.2, '>': 0.2, '>=': 0.2, in: 0.3, intersects: 0.5,
  startswith: 0.4, endswith: 0.4, contains: 0.6, bstartswith: 0.4, bcontains: 0.8, icontains: 1.5, pmatch: 0.8, glob: 1.5,
  iglob: 2, regex: 4,
};

/** Cost of the comparison itself, the operands' extraction aside. */
export function operatorCost(c: TypedCheck): number {
  const per = OP_COST[c.op] ?? 1;
  return c.modifier ? per * Math.max(1, c.values?.length ?? 1) : per;
}

/** How often the check is expected to pass on events of its rule's types. */
export function passRate(c: TypedCheck): number {
  const ints = c.values?.every((v) => v.kind === 'int' || v.kind === 'bool') ?? false;
  switch (c.op) {
    case '!=':
    case 'exists':
      return 0.9;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return 0.5;
    case '=':
    case '==':
      return ints ? 0.3 : 0.05;
    case 'in':
    case 'intersects':
      return ints ? 0.3 : 0.1;
    default:
      return 0.1;
  }
}
