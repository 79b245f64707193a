// The condition AST: the contract between parse, resolve, check and plan.
//
// Every string in a condition (values, list items, field arguments) is a "byte string": a JS
// string whose code units are 0..255, one per byte of the UTF-8 condition text. Falco compares
// bytes, its positions are byte offsets, and a quoted "\xff" is one byte that is not valid UTF-8,
// so the compiler works on bytes throughout and converts back to UTF-8 only for display.
//
// Node positions are byte offsets into the text that was parsed (after list substitution);
// `origin` says which text that was, so a node copied into a rule by macro expansion still
// points at the macro's own condition.

export interface ConditionOrigin {
  /** The byte string that was parsed. */
  readonly text: string;
  /** Maps an offset in `text` to a location in the rules file, when known. */
  readonly locate?: (offset: number) => { file: string; line: number; col: number; offset: number };
  readonly itemType: 'rule' | 'macro' | 'condition';
  readonly itemName: string;
}

interface NodeBase {
  /** Byte offset where the node starts (as Falco records it). */
  start: number;
  /** Byte offset just past the node's last character. */
  end: number;
  origin?: ConditionOrigin;
}

export interface AndExpr extends NodeBase { kind: 'and'; children: Expr[] }
export interface OrExpr extends NodeBase { kind: 'or'; children: Expr[] }
export interface NotExpr extends NodeBase { kind: 'not'; child: Expr }
/** A bare identifier in check position: a macro reference before resolution. */
export interface IdentifierExpr extends NodeBase { kind: 'identifier'; name: string }
export interface UnaryCheck extends NodeBase { kind: 'unary'; left: Operand; op: 'exists' }
export interface BinaryCheck extends NodeBase { kind: 'binary'; left: Operand; op: string; right: RightHand }

export type Expr = AndExpr | OrExpr | NotExpr | IdentifierExpr | UnaryCheck | BinaryCheck;
export type Check = UnaryCheck | BinaryCheck;

export interface FieldRef extends NodeBase {
  kind: 'field';
  name: string;
  /** `undefined`: no argument; `''`: an explicitly empty quoted argument `[""]`. */
  arg?: string;
  /** The argument was written as `.suffix` inside the field name (evt.arg.NAME). */
  argFromSuffix?: boolean;
}

export interface TransformerExpr extends NodeBase {
  kind: 'transformer';
  /** tolower toupper b64 basename len join concat getopt, or val (right-hand side only). */
  name: string;
  args: TransformerArg[];
  arg?: string;
}

export interface ValueNode extends NodeBase { kind: 'value'; value: string }
export interface ListNode extends NodeBase { kind: 'list'; values: string[]; valueStarts: number[] }
export interface TransformerList extends NodeBase { kind: 'transformer_list'; items: TransformerListItem[] }

export type Operand = FieldRef | TransformerExpr;
export type RightHand = ValueNode | ListNode | TransformerExpr;
export type TransformerListItem = FieldRef | TransformerExpr | ValueNode;
export type TransformerArg = TransformerListItem | TransformerList;

export const TRANSFORMER_NAMES = ['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'] as const;
export const UNARY_OPS = ['exists'] as const;
export const NUM_OPS = ['<=', '<', '>=', '>'] as const;
export const STR_OPS = ['==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex'] as const;
export const LIST_OPS = ['intersects', 'in', 'pmatch'] as const;
export const MODIFIERS = ['oneof', 'anyof', 'allof'] as const;

/** Operators in the order the parser tries them (also the order of Falco's error message). */
export const ALL_OPS: readonly string[] = [...UNARY_OPS, ...NUM_OPS, ...STR_OPS, ...LIST_OPS];

/** `startswith oneof` → { base: 'startswith', modifier: 'oneof' }. */
export function splitModifier(op: string): { base: string; modifier?: string } {
  const space = op.indexOf(' ');
  if (space < 0) return { base: op };
  return { base: op.slice(0, space), modifier: op.slice(space + 1) };
}
