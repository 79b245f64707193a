// Macro expansion on parsed conditions: every identifier in check position is replaced by the
// (expanded) tree of the macro of that name, if that macro is visible to the condition being
// resolved. Subtrees are shared, not copied: later stages only read them, and nodes keep their
// own origin, so an error inside a macro still points at the macro's text.
import type { Expr } from '../parse/ast.ts';

export class MacroError extends Error {
  constructor(message: string, readonly node: Expr) {
    super(message);
  }
}

/** Expanded conditions larger than this are refused (a macro DAG can grow exponentially). */
export const MAX_EXPANDED_NODES = 500_000;

export interface MacroTable {
  /** The parsed (unexpanded) macro and its position in load order. */
  get(name: string): { ast: Expr; index: number } | undefined;
}

interface Expansion {
  tree: Expr;
  size: number;
  /** Highest index of the macros it used: the result holds for any bound above it. */
  maxIndex: number;
}

/**
 * One expander serves many conditions: a macro may use only macros whose index is below the
 * condition's visibility bound (Infinity for rules), and a memoised expansion is reused for any
 * bound that still covers every macro it used, so resolving all macros stays linear.
 */
export class MacroExpander {
  private readonly memo = new Map<string, Expansion>();
  private readonly active = new Set<string>();
  /** Every macro referenced by an expansion (for unused-macro warnings). */
  readonly used = new Set<string>();
  bound = Infinity;

  constructor(private readonly macros: MacroTable) {}

  /** Expands `e`; throws MacroError for an undefined macro or a reference loop. */
  expand(e: Expr, bound = Infinity): Expansion {
    this.bound = bound;
    this.active.clear();
    try {
      return this.visit(e);
    } catch (err) {
      if (err instanceof RangeError) throw new MacroError('macro references are nested too deeply to expand', e);
      throw err;
    }
  }

  private visit(e: Expr): Expansion {
    switch (e.kind) {
      case 'and':
      case 'or': {
        let size = 1;
        let maxIndex = -1;
        let changed = false;
        const children = e.children.map((c) => {
          const r = this.visit(c);
          size += r.size;
          maxIndex = Math.max(maxIndex, r.maxIndex);
          changed ||= r.tree !== c;
          return r.tree;
        });
        return { tree: changed ? { ...e, children } : e, size, maxIndex };
      }
      case 'not': {
        const r = this.visit(e.child);
        return { tree: r.tree === e.child ? e : { ...e, child: r.tree }, size: r.size + 1, maxIndex: r.maxIndex };
      }
      case 'identifier':
        return this.macro(e);
      default:
        return { tree: e, size: 1, maxIndex: -1 };
    }
  }

  private macro(ref: Expr & { kind: 'identifier' }): Expansion {
    const name = ref.name;
    const m = this.macros.get(name);
    if (!m || m.index >= this.bound) throw new MacroError(`Undefined macro '${name}' used in filter.`, ref);
    this.used.add(name);
    const done = this.memo.get(name);
    if (done && done.maxIndex < this.bound) return done;
    if (this.active.has(name)) throw new MacroError(`reference loop in macro '${name}'`, ref);
    this.active.add(name);
    const inner = this.visit(m.ast);
    this.active.delete(name);
    const r = { ...inner, maxIndex: Math.max(inner.maxIndex, m.index) };
    if (r.size > MAX_EXPANDED_NODES) {
      throw new MacroError(`macro '${name}' expands to more than ${MAX_EXPANDED_NODES} nodes`, ref);
    }
    this.memo.set(name, r);
    return r;
  }
}
