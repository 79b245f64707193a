// Condition text → AST. The one entry point of the parse stage.
import type { Expr } from './ast.ts';
import { tokenize } from './lexer.ts';
import { conditionParser, ConditionSyntaxError } from './grammar.ts';

export { ConditionSyntaxError };

/** libsinsp's own default; Falco's rule loader raises it to 1000 for rule and macro conditions. */
export const PARSER_DEFAULT_MAX_DEPTH = 100;
export const RULE_CONDITION_MAX_DEPTH = 1000;

/**
 * Parses a condition given as a byte string (see ast.ts). Throws ConditionSyntaxError with
 * Falco's message and the byte offset where parsing stopped.
 */
export function parseCondition(text: string, maxDepth = PARSER_DEFAULT_MAX_DEPTH): Expr {
  if (text.length === 0) throw new ConditionSyntaxError('filter input string is empty', 0);
  const parser = conditionParser();
  parser.prepare(text, tokenize(text), maxDepth);
  let ast: Expr;
  try {
    ast = parser.filter();
  } catch (e) {
    // The depth limit keeps recursion far below the JS stack; this is a last line of defence.
    if (e instanceof RangeError) throw new ConditionSyntaxError(`exceeded max depth limit of ${maxDepth}`, 0);
    throw e;
  }
  const err = parser.errors[0];
  if (err !== undefined) {
    const tok = err.token;
    const offset = Number.isFinite(tok.startOffset) ? tok.startOffset : text.length;
    throw new ConditionSyntaxError(err.message, offset);
  }
  return ast;
}

/** Falco's {line, col} for a byte offset: 1-based; every \r and every \n starts a new line. */
export function positionAt(text: string, offset: number): { idx: number; line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      line++;
      col = 1;
    } else col++;
  }
  return { idx: offset, line, col };
}
