// The typed condition: what the check stage hands to plan/emit and to the reference interpreter.
// Every check knows its resolved field(s), the type it compares on (after transformers) and its
// constants already parsed for that type, so later stages never re-parse rule text.
import type { FieldInfo, FieldType } from '../../runtime/fields/field-info.ts';
import type { BinaryCheck, FieldRef, TransformerExpr, UnaryCheck, ValueNode } from '../parse/ast.ts';

import type { Constant } from '../../runtime/operators/values.ts';
export type { Constant };

/** A field reference, resolved against the source's catalog. */
export interface TypedField {
  kind: 'field';
  field: FieldInfo;
  /** Bracket or suffix argument (`proc.aname[2]` → "2", `evt.arg.fd` → "fd"). */
  arg?: string;
  /** Numeric value of an index argument. */
  argIndex?: number;
  type: FieldType;
  isList: boolean;
  node: FieldRef;
}

export interface TypedTransformer {
  kind: 'transformer';
  name: string;
  args: TypedTransformerArg[];
  /** getopt(...)[c] */
  arg?: string;
  type: FieldType;
  isList: boolean;
  node: TransformerExpr;
}

export interface TypedConstantArg {
  kind: 'constant';
  value: string;
  node: ValueNode;
}

export interface TypedArgList {
  kind: 'arglist';
  items: (TypedField | TypedTransformer | TypedConstantArg)[];
}

export type TypedOperand = TypedField | TypedTransformer;
export type TypedTransformerArg = TypedOperand | TypedConstantArg | TypedArgList;

export interface TypedCheck {
  kind: 'check';
  /** Base operator: = == != < <= > >= contains … in intersects pmatch exists. */
  op: string;
  modifier?: 'oneof' | 'anyof' | 'allof';
  left: TypedOperand;
  /** Constants (one for scalar operators, any number for lists/modifiers); absent for exists and val(). */
  values?: Constant[];
  /** Written as a parenthesised list (or a list name) rather than a single value. */
  listSyntax?: boolean;
  /** Right-hand field: val(field) or a transformer. */
  rhs?: TypedOperand;
  node: BinaryCheck | UnaryCheck;
}

export type TypedExpr =
  | { kind: 'and'; children: TypedExpr[] }
  | { kind: 'or'; children: TypedExpr[] }
  | { kind: 'not'; child: TypedExpr }
  | TypedCheck;
