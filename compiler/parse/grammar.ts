// The Falco condition grammar, as a Chevrotain parser over the tokens of lexer.ts.
//
//   Filter          ::= OrExpr                         (whole input; leading/trailing blanks allowed)
//   OrExpr          ::= AndExpr ( "or" OrTail )*
//   OrTail          ::= <blank> AndExpr | "(" Embedded
//   AndExpr         ::= NotExpr ( "and" AndTail )*
//   AndTail         ::= <blank> NotExpr | "(" Embedded
//   NotExpr         ::= ( "not" <blank> )* ( "not(" Embedded | Check )   (each "not" toggles)
//   Embedded        ::= OrExpr ")"                     (after a "(" already read)
//   Check           ::= "(" Embedded
//                     | Field Condition
//                     | Transformer Condition
//                     | Identifier                     (macro reference)
//   Field           ::= FieldName FieldArg?
//   FieldArg        ::= "[" ( QuotedStr | FieldArgBare ) "]"        (no blanks inside)
//   Transformer     ::= TransformerName "(" TArg ( "," TArg )* ")" FieldArg?
//   TArg            ::= Number | QuotedStr | "(" TList | Transformer | Field
//   TList           ::= ")" | TListItem ( "," TListItem )* ")"
//   TListItem       ::= Field | Transformer | QuotedStr | Number
//   Condition       ::= "exists"
//                     | NumOp ( RhsTransformer | Number )
//                     | StrOp ( Modifier ListValue | RhsTransformer | QuotedStr | BareStr )
//                     | ListOp ( ListValue | RhsTransformer )
//   RhsTransformer  ::= "val(" Field ")" FieldArg? | Transformer
//   ListValue       ::= "(" ( Item ( "," Item )* )? ")" | Identifier
//   Item            ::= QuotedStr | BareStr
//   NumOp           ::= "<=" | "<" | ">=" | ">"
//   StrOp           ::= "==" | "=" | "!=" | glob | iglob | contains | icontains | bcontains
//                     | startswith | bstartswith | endswith | regex    (words need a blank after)
//   ListOp          ::= "intersects" | "in" | "pmatch"
//   Modifier        ::= ( "oneof" | "anyof" | "allof" ) <blank>
//   TransformerName ::= tolower | toupper | b64 | basename | len | join | concat | getopt
//
// Blanks are space, \t, \b, \r, \n. Where they are significant (after and/or/not and word
// operators, never inside field arguments) the scanner enforces it; the grammar sees tokens
// marked `blankBefore`. Token regexes and the operator order are in lexer.ts. Error messages
// are Falco's own, so existing tooling and users' muscle memory keep working.
import { EmbeddedActionsParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens.ts';
import type { CondToken } from './tokens.ts';
import type {
  Expr, FieldRef, ListNode, Operand, RightHand, TransformerArg, TransformerExpr, TransformerList,
  TransformerListItem, ValueNode,
} from './ast.ts';
import { ALL_OPS } from './ast.ts';
import { unescapeQuoted, EscapeError } from './escaping.ts';

/** A syntax error at a byte offset of the parsed text. */
export class ConditionSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const TRANSFORMERS_FOR_MSG = "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'";
const MSG = {
  orTail: "expected blank or '(' after 'or'",
  andTail: "expected blank or '(' after 'and'",
  rparen: "expected a ')' token",
  check: "expected a '(' token, a field check, or an identifier",
  operator: 'expected a valid check operator: one of ' + ALL_OPS.map((o) => `'${o}'`).join(', '),
  num: `expected a number value or a field with a valid transformer: ${TRANSFORMERS_FOR_MSG}`,
  str: `expected a string value or a field with a valid transformer: ${TRANSFORMERS_FOR_MSG}`,
  list: `expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMERS_FOR_MSG}`,
  modList: 'expected a list or an identifier',
  listItem: 'expected a string value',
  valField: "expected a field within 'val' transformer",
  transformerClose: "expected a ')' token closing the transformer",
  targ: 'expected field transformer argument: field, transformer, quoted string, number, or transformer list',
  tlistItem: 'expected transformer list argument: field, transformer, quoted string, or number',
  tlistClose: "expected ')'",
  fieldArg: 'expected a valid field argument: a quoted string or a bare string',
  fieldArgClose: "expected a ']' token",
};

// Every decision point carries Falco's message (ERR_MSG); these are only fallbacks.
const falcoMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => `expected ${expected.name}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `unexpected token '${firstRedundant.image}'`,
  buildNoViableAltMessage: ({ customUserDescription }) => customUserDescription ?? 'unexpected token',
  buildEarlyExitMessage: ({ customUserDescription }) => customUserDescription ?? 'unexpected token',
};

class ConditionParser extends EmbeddedActionsParser {
  text = '';
  maxDepth = 100;
  private depth = 0;
  /** Falco's "last token" for the trailing-garbage message (blanks never count). */
  private lastImage = '';

  constructor() {
    super(T.allTokens, { recoveryEnabled: false, maxLookahead: 1, errorMessageProvider: falcoMessages });
    this.performSelfAnalysis();
  }

  prepare(text: string, tokens: CondToken[], maxDepth: number): void {
    this.text = text;
    this.maxDepth = maxDepth;
    this.depth = 0;
    this.lastImage = '';
    this.input = tokens;
  }

  // ---- helpers (only called inside ACTION or guarded by RECORDING_PHASE) ----

  private push(): void {
    if (++this.depth >= this.maxDepth) throw new ConditionSyntaxError(`exceeded max depth limit of ${this.maxDepth}`, this.nextStart());
  }
  private pop(): void {
    this.depth--;
  }
  private nextStart(): number {
    const t = this.LA(1);
    return t.tokenType === EOF ? this.text.length : t.startOffset;
  }
  private prevEnd(): number {
    const t = this.LA(0);
    return t && Number.isFinite(t.endOffset) ? t.endOffset! + 1 : 0;
  }
  private blankBeforeNext(): boolean {
    const t = this.LA(1);
    if (t.tokenType === EOF) return this.prevEnd() < this.text.length;
    return (t as CondToken).blankBefore;
  }
  private took(tok: IToken, image = tok.image): IToken {
    if (!this.RECORDING_PHASE) this.lastImage = image;
    return tok;
  }
  private take(type: TokenType, msg: string): IToken {
    return this.took(this.CONSUME(type, { ERR_MSG: msg }));
  }
  private unquote(tok: IToken): string {
    if (this.RECORDING_PHASE) return '';
    try {
      return unescapeQuoted(tok.image);
    } catch (e) {
      if (e instanceof EscapeError) throw new ConditionSyntaxError(e.message, tok.startOffset);
      throw e;
    }
  }
  private fail(msg: string): never {
    throw new ConditionSyntaxError(msg, this.nextStart());
  }
  /** After and/or: `a and(b)` and `a and (b)` are fine, `a andb` is not. */
  private requireBlankOrParen(msg: string): void {
    if (!this.blankBeforeNext() && this.LA(1).tokenType !== T.LParen) this.fail(msg);
  }

  // ---- rules ----

  filter = this.RULE('filter', (): Expr => {
    const e = this.SUBRULE(this.orExpr, { ARGS: [true] });
    this.ACTION(() => {
      if (this.LA(1).tokenType !== EOF) this.fail(`unexpected token after '${this.lastImage}', expecting 'or', 'and'`);
    });
    return e;
  });

  orExpr = this.RULE('orExpr', (top?: boolean): Expr => {
    const start = this.ACTION(() => (top ? 0 : this.nextStart()));
    this.ACTION(() => this.push());
    const children: Expr[] = [this.SUBRULE(this.andExpr)];
    this.MANY(() => {
      this.took(this.CONSUME(T.Or));
      this.ACTION(() => this.requireBlankOrParen(MSG.orTail));
      children.push(this.SUBRULE2(this.andExpr));
    });
    return this.ACTION(() => {
      this.pop();
      return children.length > 1 ? { kind: 'or', children, start, end: this.prevEnd() } : children[0]!;
    });
  });

  andExpr = this.RULE('andExpr', (): Expr => {
    const start = this.ACTION(() => this.nextStart());
    this.ACTION(() => this.push());
    const children: Expr[] = [this.SUBRULE(this.notExpr)];
    this.MANY(() => {
      this.took(this.CONSUME(T.And));
      this.ACTION(() => this.requireBlankOrParen(MSG.andTail));
      children.push(this.SUBRULE2(this.notExpr));
    });
    return this.ACTION(() => {
      this.pop();
      return children.length > 1 ? { kind: 'and', children, start, end: this.prevEnd() } : children[0]!;
    });
  });

  notExpr = this.RULE('notExpr', (): Expr => {
    const start = this.ACTION(() => this.nextStart());
    this.ACTION(() => this.push());
    let negate = false;
    this.MANY(() => {
      this.took(this.CONSUME(T.Not));
      negate = !negate;
    });
    const child = this.OR({
      ERR_MSG: MSG.check,
      DEF: [
        {
          ALT: () => {
            this.took(this.CONSUME(T.NotParen));
            negate = !negate;
            return this.SUBRULE(this.embedded);
          },
        },
        { ALT: () => this.SUBRULE(this.check) },
      ],
    });
    return this.ACTION((): Expr => {
      this.pop();
      return negate ? { kind: 'not', child, start, end: this.prevEnd() } : child;
    });
  });

  embedded = this.RULE('embedded', (): Expr => {
    this.ACTION(() => this.push());
    const e = this.SUBRULE(this.orExpr, { ARGS: [false] });
    this.take(T.RParen, MSG.rparen);
    this.ACTION(() => this.pop());
    return e;
  });

  check = this.RULE('check', (): Expr => {
    const start = this.ACTION(() => this.nextStart());
    this.ACTION(() => this.push());
    const e = this.OR({
      ERR_MSG: MSG.check,
      DEF: [
        {
          ALT: () => {
            this.took(this.CONSUME(T.LParen));
            return this.SUBRULE(this.embedded);
          },
        },
        { ALT: () => this.SUBRULE(this.condition, { ARGS: [this.SUBRULE(this.field), start] }) },
        { ALT: () => this.SUBRULE2(this.condition, { ARGS: [this.SUBRULE(this.transformer), start] }) },
        {
          ALT: () => {
            const id = this.took(this.CONSUME(T.Identifier));
            return this.ACTION((): Expr => ({ kind: 'identifier', name: id.image, start, end: this.prevEnd() }));
          },
        },
      ],
    });
    this.ACTION(() => this.pop());
    return e;
  });

  condition = this.RULE('condition', (left: Operand, start: number): Expr => {
    const done = (op: string, right?: RightHand): Expr =>
      this.ACTION((): Expr => {
        const end = this.prevEnd();
        return right === undefined
          ? { kind: 'unary', left, op: 'exists', start, end }
          : { kind: 'binary', left, op, right, start, end };
      });
    return this.OR({
      ERR_MSG: MSG.operator,
      DEF: [
        {
          ALT: () => {
            this.took(this.CONSUME(T.UnaryOp));
            return done('exists');
          },
        },
        {
          ALT: () => {
            const op = this.took(this.CONSUME(T.NumOp)).image;
            return done(op, this.SUBRULE(this.numValue));
          },
        },
        {
          ALT: () => {
            const op = this.took(this.CONSUME(T.StrOp)).image.trimEnd();
            return this.OR2({
              ERR_MSG: MSG.str,
              DEF: [
                {
                  ALT: () => {
                    const mod = this.took(this.CONSUME(T.Modifier)).image.trimEnd();
                    return done(`${op} ${mod}`, this.SUBRULE(this.modifierList));
                  },
                },
                { ALT: () => done(op, this.SUBRULE(this.strValue)) },
              ],
            });
          },
        },
        {
          ALT: () => {
            const op = this.took(this.CONSUME(T.ListOp)).image;
            return done(op, this.SUBRULE(this.listValue));
          },
        },
      ],
    });
  });

  numValue = this.RULE('numValue', (): RightHand =>
    this.OR({
      ERR_MSG: MSG.num,
      DEF: [
        { ALT: () => this.SUBRULE(this.rhsTransformer) },
        { ALT: () => this.value(this.CONSUME(T.Number), false) },
      ],
    }),
  );

  strValue = this.RULE('strValue', (): RightHand =>
    this.OR({
      ERR_MSG: MSG.str,
      DEF: [
        { ALT: () => this.SUBRULE(this.rhsTransformer) },
        { ALT: () => this.value(this.CONSUME(T.QuotedStr), true) },
        { ALT: () => this.value(this.CONSUME(T.BareStr), false) },
      ],
    }),
  );

  listValue = this.RULE('listValue', (): RightHand =>
    this.OR({
      ERR_MSG: MSG.list,
      DEF: [
        { ALT: () => this.SUBRULE(this.list) },
        { ALT: () => this.SUBRULE(this.rhsTransformer) },
        { ALT: () => this.value(this.CONSUME(T.Identifier), false) },
      ],
    }),
  );

  modifierList = this.RULE('modifierList', (): RightHand =>
    this.OR({
      ERR_MSG: MSG.modList,
      DEF: [
        { ALT: () => this.SUBRULE(this.list) },
        { ALT: () => this.value(this.CONSUME(T.Identifier), false) },
      ],
    }),
  );

  private value(tok: IToken, quoted: boolean): ValueNode {
    const v = quoted ? this.unquote(tok) : tok.image;
    this.took(tok, v);
    return { kind: 'value', value: v, start: tok.startOffset, end: tok.startOffset + tok.image.length };
  }

  list = this.RULE('list', (): ListNode => {
    const open = this.took(this.CONSUME(T.ListOpen));
    const values: string[] = [];
    const valueStarts: number[] = [];
    const add = (v: ValueNode) => {
      values.push(v.value);
      valueStarts.push(v.start);
    };
    this.OPTION(() => {
      add(this.SUBRULE(this.listItem));
      this.MANY(() => {
        this.took(this.CONSUME(T.Comma));
        add(this.SUBRULE2(this.listItem));
      });
    });
    this.take(T.RParen, MSG.rparen);
    return this.ACTION((): ListNode => ({ kind: 'list', values, valueStarts, start: open.startOffset, end: this.prevEnd() }));
  });

  listItem = this.RULE('listItem', (): ValueNode =>
    this.OR({
      ERR_MSG: MSG.listItem,
      DEF: [
        { ALT: () => this.value(this.CONSUME(T.QuotedStr), true) },
        { ALT: () => this.value(this.CONSUME(T.BareStr), false) },
      ],
    }),
  );

  field = this.RULE('field', (): FieldRef => {
    const name = this.took(this.CONSUME(T.FieldName));
    const arg = this.OPTION(() => this.SUBRULE(this.fieldArg));
    return this.ACTION((): FieldRef => {
      const f: FieldRef = { kind: 'field', name: name.image, start: name.startOffset, end: this.prevEnd() };
      if (arg !== undefined) f.arg = arg;
      return f;
    });
  });

  fieldArg = this.RULE('fieldArg', (): string => {
    this.took(this.CONSUME(T.LBracket));
    const arg = this.OR({
      ERR_MSG: MSG.fieldArg,
      DEF: [
        { ALT: () => this.value(this.CONSUME(T.QuotedStr), true).value },
        { ALT: () => this.value(this.CONSUME(T.FieldArg), false).value },
      ],
    });
    this.take(T.RBracket, MSG.fieldArgClose);
    return arg;
  });

  transformer = this.RULE('transformer', (): TransformerExpr => {
    const open = this.took(this.CONSUME(T.TransformerOpen));
    this.ACTION(() => this.push());
    const args: TransformerArg[] = [this.SUBRULE(this.transformerArg)];
    this.MANY(() => {
      this.took(this.CONSUME(T.Comma));
      args.push(this.SUBRULE2(this.transformerArg));
    });
    this.take(T.RParen, MSG.transformerClose);
    const arg = this.OPTION(() => this.SUBRULE(this.fieldArg));
    return this.ACTION((): TransformerExpr => {
      this.pop();
      const t: TransformerExpr = { kind: 'transformer', name: open.image.slice(0, -1), args, start: open.startOffset, end: this.prevEnd() };
      if (arg !== undefined) t.arg = arg;
      return t;
    });
  });

  rhsTransformer = this.RULE('rhsTransformer', (): TransformerExpr =>
    this.OR([
      { ALT: () => this.SUBRULE(this.transformer) },
      {
        ALT: () => {
          const open = this.took(this.CONSUME(T.ValOpen));
          const f = this.OR2({ ERR_MSG: MSG.valField, DEF: [{ ALT: () => this.SUBRULE(this.field) }] });
          this.take(T.RParen, MSG.transformerClose);
          const arg = this.OPTION(() => this.SUBRULE(this.fieldArg));
          return this.ACTION((): TransformerExpr => {
            const t: TransformerExpr = { kind: 'transformer', name: 'val', args: [f], start: open.startOffset, end: this.prevEnd() };
            if (arg !== undefined) t.arg = arg;
            return t;
          });
        },
      },
    ]),
  );

  transformerArg = this.RULE('transformerArg', (): TransformerArg =>
    this.OR({
      ERR_MSG: MSG.targ,
      DEF: [
        { ALT: () => this.value(this.CONSUME(T.Number), false) },
        { ALT: () => this.value(this.CONSUME(T.QuotedStr), true) },
        { ALT: () => this.SUBRULE(this.transformerList) },
        { ALT: () => this.SUBRULE(this.transformer) },
        { ALT: () => this.SUBRULE(this.field) },
      ],
    }),
  );

  transformerList = this.RULE('transformerList', (): TransformerList => {
    const open = this.took(this.CONSUME(T.TListOpen));
    const items: TransformerListItem[] = [];
    this.OPTION(() => {
      items.push(this.SUBRULE(this.transformerListItem));
      this.MANY(() => {
        this.took(this.CONSUME(T.Comma));
        items.push(this.SUBRULE2(this.transformerListItem));
      });
    });
    this.take(T.RParen, MSG.tlistClose);
    return this.ACTION((): TransformerList => ({ kind: 'transformer_list', items, start: open.startOffset, end: this.prevEnd() }));
  });

  transformerListItem = this.RULE('transformerListItem', (): TransformerListItem =>
    this.OR({
      ERR_MSG: MSG.tlistItem,
      DEF: [
        { ALT: () => this.SUBRULE(this.field) },
        { ALT: () => this.SUBRULE(this.transformer) },
        { ALT: () => this.value(this.CONSUME(T.QuotedStr), true) },
        { ALT: () => this.value(this.CONSUME(T.Number), false) },
      ],
    }),
  );
}

let parser: ConditionParser | undefined;

/** The one parser instance: Chevrotain's grammar analysis runs once per process. */
export function conditionParser(): ConditionParser {
  return (parser ??= new ConditionParser());
}

export type { ConditionParser };
