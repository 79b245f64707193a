// Token types of the condition language, declared once and shared by the lexer and the grammar.
//
// The patterns are `Lexer.NA`: Falco's condition language is lexed on demand by its parser
// (the same characters are a number after `<` but a bare string after `=`), so lexer.ts is a
// hand-written, context-driven scanner that produces these Chevrotain tokens (the approach
// Chevrotain's authors recommend when lexer modes are not enough). Each token type names what
// the text *is in its context*, so the grammar itself stays context-free.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

const t = (name: string): TokenType => createToken({ name, pattern: Lexer.NA });

// Structure
export const LParen = t('LParen'); // "(" opening an embedded expression
export const NotParen = t('NotParen'); // "not(" opening a negated embedded expression
export const RParen = t('RParen'); // ")" closing an expression, list, transformer or transformer list
export const Comma = t('Comma');
export const LBracket = t('LBracket');
export const RBracket = t('RBracket');
export const And = t('And');
export const Or = t('Or');
export const Not = t('Not'); // "not" followed by blanks (the blanks are part of the token)

// Names
export const FieldName = t('FieldName');
export const Identifier = t('Identifier');
export const TransformerOpen = t('TransformerOpen'); // "tolower(" … ; image holds the name
export const ValOpen = t('ValOpen'); // "val("
export const ListOpen = t('ListOpen'); // "(" opening a value list
export const TListOpen = t('TListOpen'); // "(" opening a transformer list argument

// Operators
export const UnaryOp = t('UnaryOp');
export const NumOp = t('NumOp');
export const StrOp = t('StrOp');
export const ListOp = t('ListOp');
export const Modifier = t('Modifier');

// Values
export const QuotedStr = t('QuotedStr');
export const BareStr = t('BareStr');
export const Number = t('Number');
export const FieldArg = t('FieldArg'); // bare field argument inside [ ]

/** Text the scanner could not read in its current context; the grammar reports what it expected. */
export const Unexpected = t('Unexpected');

export const allTokens: TokenType[] = [
  LParen, NotParen, RParen, Comma, LBracket, RBracket, And, Or, Not,
  FieldName, Identifier, TransformerOpen, ValOpen, ListOpen, TListOpen,
  UnaryOp, NumOp, StrOp, ListOp, Modifier,
  QuotedStr, BareStr, Number, FieldArg, Unexpected,
];

/** The scanner's tokens carry whether blanks preceded them (Falco's grammar cares). */
export interface CondToken extends IToken {
  blankBefore: boolean;
}
