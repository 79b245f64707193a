// Rule exceptions: validation when defined/appended, and translation into condition text.
// Falco builds exceptions by string concatenation and then parses the result, so the exact text
// matters (unescaped values can change the parse; list names in values are substituted later).
import { LoadError } from '../diagnostics.ts';
import type { ExceptionEntry, ExceptionInfo } from '../load/items.ts';
import { ALL_OPS, LIST_OPS, MODIFIERS } from '../parse/ast.ts';
import { MODIFIABLE_OPS } from '../check/operator-rules.ts';
import { quoteItem } from './lists.ts';

const ASCII_BLANKS = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

function isModifierOp(op: string): boolean {
  const parts = op.split(' ');
  return parts.length === 2 && MODIFIABLE_OPS.has(parts[0]!) && (MODIFIERS as readonly string[]).includes(parts[1]!);
}

function isComparison(op: string): boolean {
  return ALL_OPS.includes(op) || isModifierOp(op);
}

function isListOp(op: string): boolean {
  return (LIST_OPS as readonly string[]).includes(op) || isModifierOp(op);
}

/**
 * Checks an exception's fields/comps and fills in default comps (`=` per field for tuples, `in`
 * for a single field). `isField` says whether a left-hand side is valid for the rule's source
 * (undefined when the source is unknown: then fields are not checked).
 */
export function validateException(ex: ExceptionInfo, isField: ((lhs: string) => boolean) | undefined): void {
  const fail = (msg: string): never => {
    throw new LoadError('LOAD_ERR_VALIDATE', msg, ex.ctx);
  };
  const fields = ex.fields!;
  if (fields.isList) {
    if (!ex.comps) ex.comps = { isList: true, items: fields.items.map(() => ({ isList: false, item: '=' })) };
    const comps = ex.comps;
    if (!comps.isList || comps.items.length !== fields.items.length) return fail('Fields and comps lists must have equal length');
    for (const c of comps.items) {
      if (c.isList) return fail(`'' is not a supported comparison operator`);
      c.item = c.item.replace(ASCII_BLANKS, '');
      if (!isComparison(c.item)) fail(`'${c.item}' is not a supported comparison operator`);
    }
    if (isField) {
      for (const f of fields.items) {
        const name = f.isList ? '' : f.item;
        if (!isField(name)) fail(`'${name}' is not a supported filter field`);
      }
    }
    return;
  }
  ex.comps ??= { isList: false, item: 'in' };
  if (ex.comps.isList) return fail('Fields and comps must both be strings');
  ex.comps.item = ex.comps.item.replace(ASCII_BLANKS, '');
  if (!isListOp(ex.comps.item)) {
    fail('When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)');
  }
  if (isField && !isField(fields.item)) fail(`'${fields.item}' is not a supported filter field`);
}

function parenItem(v: string): string {
  return v[0] === '(' ? v : `(${v})`;
}

const scalar = (e: ExceptionEntry) => (e.isList ? '' : e.item);

/** The ` and not (...)` text one exception contributes, or '' when it has no values. */
export function exceptionConditionText(ex: ExceptionInfo): string {
  const fields = ex.fields!;
  const comps = ex.comps!;
  if (!fields.isList) {
    const values = ex.values.map((v) => {
      if (v.isList) throw new LoadError('LOAD_ERR_VALIDATE', 'Expected values array to contain a list of strings', ex.ctx);
      return quoteItem(v.item);
    });
    return values.length === 0 ? '' : `(${fields.item} ${scalar(comps)} (${values.join(', ')}))`;
  }
  const compItems = comps.isList ? comps.items : [];
  const tuples = ex.values.map((tuple) => {
    const items = tuple.isList ? tuple.items : [];
    if (items.length !== fields.items.length) throw new LoadError('LOAD_ERR_VALIDATE', 'Fields and values lists must have equal length', ex.ctx);
    const checks = fields.items.map((f, k) => {
      const comp = scalar(compItems[k]!);
      const v = items[k]!;
      let text: string;
      if (v.isList) text = `(${v.items.map((i) => quoteItem(scalar(i))).join(', ')})`;
      else text = isListOp(comp) ? parenItem(v.item) : quoteItem(v.item);
      return ` ${scalar(f)} ${comp} ${text}`;
    });
    return `(${checks.join(' and ')})`;
  });
  return tuples.length === 0 ? '' : `(${tuples.join(' or ')})`;
}
