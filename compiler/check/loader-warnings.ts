// Falco's rule-loader warnings on a parsed condition (independent of field catalogs):
// unsafe `<NA>` comparisons on plugin JSON fields, and deprecated fields.
import type { Expr, Operand, RightHand, TransformerArg } from '../parse/ast.ts';
import { splitModifier } from '../parse/ast.ts';

export interface LoaderWarning {
  code: 'LOAD_UNSAFE_NA_CHECK' | 'LOAD_DEPRECATED_ITEM';
  message: string;
  node: { start: number; end: number; origin?: unknown };
}

const NA_OPS = new Set(['=', '==', '!=', 'in', 'intersects', 'pmatch']);
const LATENCY = 'field is not available due to the drop of enter events.';
export const DEPRECATED_FIELDS: Readonly<Record<string, string>> = {
  'evt.dir':
    "due to the drop of enter events, 'evt.dir = <' always evaluates to true, and 'evt.dir = >' always evaluates to false. The rule expression can be simplified by removing the condition on 'evt.dir'",
  'evt.latency': LATENCY,
  'evt.latency.s': LATENCY,
  'evt.latency.ns': LATENCY,
  'evt.latency.human': LATENCY,
  'evt.wait_latency': LATENCY,
};

function fieldsOf(o: Operand | RightHand | TransformerArg, out: { name: string; node: LoaderWarning['node'] }[]): void {
  switch (o.kind) {
    case 'field':
      out.push({ name: o.name, node: o });
      break;
    case 'transformer':
      for (const a of o.args) fieldsOf(a, out);
      break;
    case 'transformer_list':
      for (const a of o.items) fieldsOf(a, out);
      break;
  }
}

/** At most one warning per code (and per deprecated field), as Falco reports them. */
export function loaderWarnings(e: Expr): LoaderWarning[] {
  const out: LoaderWarning[] = [];
  const seen = new Set<string>();
  const add = (key: string, w: LoaderWarning) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(w);
  };
  const visit = (n: Expr) => {
    switch (n.kind) {
      case 'and':
      case 'or':
        n.children.forEach(visit);
        return;
      case 'not':
        visit(n.child);
        return;
      case 'identifier':
        return;
      case 'unary':
      case 'binary': {
        const fields: { name: string; node: LoaderWarning['node'] }[] = [];
        fieldsOf(n.left, fields);
        if (n.kind === 'binary') fieldsOf(n.right, fields);
        for (const f of fields) {
          const text = DEPRECATED_FIELDS[f.name];
          if (text) add(`dep:${f.name}`, { code: 'LOAD_DEPRECATED_ITEM', message: text, node: f.node });
        }
        if (n.kind === 'binary' && n.left.kind === 'field' && /^(ka|jevt)\./.test(n.left.name) && NA_OPS.has(splitModifier(n.op).base)) {
          const values = n.right.kind === 'list' ? n.right.values : n.right.kind === 'value' ? [n.right.value] : [];
          if (values.includes('<NA>')) add('na', { code: 'LOAD_UNSAFE_NA_CHECK', message: '', node: n });
        }
      }
    }
  };
  visit(e);
  return out;
}
