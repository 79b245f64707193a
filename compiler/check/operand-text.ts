// A field or transformer expression given on its own (exception `fields`, output `%tokens`),
// compiled against a catalog with the condition parser and type checker.
import type { FieldCatalog } from '../../runtime/fields/catalog.ts';
import { parseCondition } from '../parse/parse.ts';
import { toByteString } from '../load/source-file.ts';
import type { TypedOperand } from './typed.ts';
import { typecheck, CheckError } from './typecheck.ts';

/** The typed operand, or the error message explaining why `text` is not one. */
export function compileOperandText(text: string, catalog: FieldCatalog): TypedOperand | string {
  let expr;
  try {
    expr = parseCondition(toByteString(text) + ' exists');
  } catch (e) {
    return (e as Error).message;
  }
  if (expr.kind !== 'unary') return `invalid formatting token ${text}`;
  try {
    const typed = typecheck(expr, { catalog }).typed;
    return typed.kind === 'check' ? typed.left : `invalid formatting token ${text}`;
  } catch (e) {
    if (e instanceof CheckError) return e.message;
    throw e;
  }
}
