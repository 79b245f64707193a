// Context-driven scanner for Falco conditions.
//
// Falco's parser lexes on demand, so what a run of characters means depends on where the parser
// is: `0x1A` is a number after `<` and a bare string after `=`; `and` is a keyword after an
// operand and an identifier elsewhere; `contains` is an operator only when a blank follows.
// This scanner reproduces that with a mode and a stack of continuation modes (a pushdown
// automaton mirroring the grammar's nesting), and emits Chevrotain tokens whose types already
// carry the context. It never fails: text that cannot be read where it stands becomes one
// `Unexpected` token and scanning stops, so the grammar reports what it expected there.
//
// Input is a byte string (see ast.ts); offsets are byte offsets, as in Falco.
import { createTokenInstance, type TokenType } from 'chevrotain';
import * as T from './tokens.ts';
import type { CondToken } from './tokens.ts';

type Mode =
  | 'expr' // expecting an operand (check, identifier, "(", "not")
  | 'afterOperand' // expecting and/or/")"/end
  | 'afterKeyword' // right after and/or: a blank or "(" must follow
  | 'fieldSuffix' // right after a field name or transformer: optional "[arg]"
  | 'fieldArg'
  | 'fieldArgClose'
  | 'op'
  | 'numVal'
  | 'strVal'
  | 'listVal'
  | 'modList'
  | 'list'
  | 'listAfterItem'
  | 'listItem'
  | 'targ'
  | 'afterTarg'
  | 'tlist'
  | 'tlistItem'
  | 'afterTlistItem'
  | 'val'
  | 'valClose';

// Blanks for the parser: space, \t, \b, \r, \n (not \v or \f).
const BLANK = /[ \t\b\r\n]+/y;
const NOT_BLANK = /not[ \t\b\r\n]+/y;
const IDENTIFIER = /[a-zA-Z]+[a-zA-Z0-9_]*/y;
const FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
// [:space:] = space \t \n \v \f \r
const FIELD_ARG_BARE = /[^\][\"' \t\n\v\f\r]+/y;
const BARE_STR = /[^()\"' \t\n\v\f\r=,]+/y;
const HEX_NUMBER = /0[xX][0-9a-fA-F]+/y;
const NUMBER = /[+\-]?[0-9]+\.?[0-9]*(?:[eE][+\-][0-9]+)?/y;
const TRANSFORMER_OPEN = /(?:tolower|toupper|b64|basename|len|join|concat|getopt)\(/y;
const VAL_OPEN = /val\(/y;
const MODIFIER = /(?:oneof|anyof|allof)[ \t\b\r\n]+/y;
const KEYWORD_AHEAD = /(?:and|or|not)(?![a-zA-Z0-9_])/y;

const SYMBOL_STR_OPS = ['==', '=', '!='];
const WORD_STR_OPS = ['glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex'];

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\b' || c === '\r' || c === '\n';
}

export function tokenize(text: string): CondToken[] {
  return new Scanner(text).run();
}

class Scanner {
  private pos = 0;
  private mode: Mode = 'expr';
  private readonly stack: Mode[] = [];
  private readonly tokens: CondToken[] = [];
  private blankBefore = false;
  /** The string operator just read was a word (it consumed a blank). */
  private wordOp = false;

  constructor(private readonly text: string) {}

  run(): CondToken[] {
    while (this.pos < this.text.length) {
      if (!this.step()) {
        this.unexpected();
        break;
      }
    }
    return this.tokens;
  }

  private match(re: RegExp): string | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    return m ? m[0] : null;
  }

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  private emit(type: TokenType, image: string): void {
    const start = this.pos;
    const tok = createTokenInstance(type, image, start, start + image.length - 1, NaN, NaN, NaN, NaN) as CondToken;
    tok.blankBefore = this.blankBefore;
    this.tokens.push(tok);
    this.pos += image.length;
    this.blankBefore = false;
  }

  private unexpected(): void {
    const rest = this.text.slice(this.pos);
    const word = /^[^ \t\b\r\n]*/.exec(rest)![0];
    this.emit(T.Unexpected, word.length > 0 ? word : rest.slice(0, 1));
  }

  private skipBlanks(): boolean {
    const b = this.match(BLANK);
    if (b === null) return false;
    this.pos += b.length;
    this.blankBefore = true;
    return true;
  }

  /** Quoted string per Falco: it ends at the first quote whose previous raw character is not a backslash. */
  private quoted(): string | null {
    const q = this.text[this.pos];
    if (q !== '"' && q !== "'") return null;
    for (let i = this.pos + 1; i < this.text.length; i++) {
      if (this.text[i] === q && this.text[i - 1] !== '\\') return this.text.slice(this.pos, i + 1);
    }
    return null;
  }

  private pushThen(cont: Mode, next: Mode): void {
    this.stack.push(cont);
    this.mode = next;
  }

  private pop(): boolean {
    const m = this.stack.pop();
    if (m === undefined) return false;
    this.mode = m;
    return true;
  }

  /** A transformer opening in a context that continues with `cont` once it is closed. */
  private transformer(cont: Mode, allowVal: boolean): boolean {
    const open = this.match(TRANSFORMER_OPEN);
    if (open !== null) {
      this.emit(T.TransformerOpen, open);
      this.stack.push(cont, 'fieldSuffix');
      this.mode = 'targ';
      return true;
    }
    if (allowVal) {
      const val = this.match(VAL_OPEN);
      if (val !== null) {
        this.emit(T.ValOpen, val);
        this.stack.push(cont, 'fieldSuffix');
        this.mode = 'val';
        return true;
      }
    }
    return false;
  }

  private field(cont: Mode): boolean {
    const name = this.match(FIELD_NAME);
    if (name === null) return false;
    this.emit(T.FieldName, name);
    this.pushThen(cont, 'fieldSuffix');
    return true;
  }

  private closeParen(): boolean {
    if (this.text[this.pos] !== ')' || this.stack.length === 0) return false;
    this.emit(T.RParen, ')');
    return this.pop();
  }

  /** Reads one token (or a blank run); false when nothing fits the current mode. */
  private step(): boolean {
    switch (this.mode) {
      case 'fieldSuffix':
        if (this.text[this.pos] === '[') {
          this.emit(T.LBracket, '[');
          this.mode = 'fieldArg';
          return true;
        }
        return this.pop();
      case 'fieldArg': {
        const q = this.quoted();
        if (q !== null) this.emit(T.QuotedStr, q);
        else {
          const bare = this.match(FIELD_ARG_BARE);
          if (bare === null) return false;
          this.emit(T.FieldArg, bare);
        }
        this.mode = 'fieldArgClose';
        return true;
      }
      case 'fieldArgClose':
        if (this.text[this.pos] !== ']') return false;
        this.emit(T.RBracket, ']');
        return this.pop();
      case 'afterKeyword':
        if (this.skipBlanks()) {
          this.mode = 'expr';
          return true;
        }
        if (this.text[this.pos] !== '(') return false;
        this.emit(T.LParen, '(');
        this.pushThen('afterOperand', 'expr');
        return true;
    }
    if (this.skipBlanks()) return true;
    switch (this.mode) {
      case 'expr':
        return this.expr();
      case 'afterOperand':
        if (this.startsWith('and')) this.emit(T.And, 'and');
        else if (this.startsWith('or')) this.emit(T.Or, 'or');
        else return this.closeParen();
        this.mode = 'afterKeyword';
        return true;
      case 'op':
        return this.operator();
      case 'numVal': {
        if (this.transformer('afterOperand', true)) return true;
        const n = this.match(HEX_NUMBER) ?? this.match(NUMBER);
        if (n === null) return false;
        this.emit(T.Number, n);
        this.mode = 'afterOperand';
        return true;
      }
      case 'strVal':
        return this.strValue();
      case 'listVal':
        if (this.text[this.pos] === '(') {
          this.emit(T.ListOpen, '(');
          this.pushThen('afterOperand', 'list');
          return true;
        }
        if (this.transformer('afterOperand', true)) return true;
        return this.identifierValue();
      case 'modList':
        if (this.text[this.pos] === '(') {
          this.emit(T.ListOpen, '(');
          this.pushThen('afterOperand', 'list');
          return true;
        }
        return this.identifierValue();
      case 'list':
        if (this.closeParen()) return true;
        return this.listItem();
      case 'listItem':
        return this.listItem();
      case 'listAfterItem':
        if (this.text[this.pos] === ',') {
          this.emit(T.Comma, ',');
          this.mode = 'listItem';
          return true;
        }
        return this.closeParen();
      case 'targ':
        return this.transformerArg();
      case 'afterTarg':
      case 'afterTlistItem':
        if (this.text[this.pos] === ',') {
          this.emit(T.Comma, ',');
          this.mode = this.mode === 'afterTarg' ? 'targ' : 'tlistItem';
          return true;
        }
        return this.closeParen();
      case 'tlist':
        if (this.closeParen()) return true;
        return this.transformerListItem();
      case 'tlistItem':
        return this.transformerListItem();
      case 'val':
        return this.field('valClose');
      case 'valClose':
        return this.closeParen();
    }
  }

  private expr(): boolean {
    const not = this.match(NOT_BLANK);
    if (not !== null) {
      this.emit(T.Not, not);
      return true;
    }
    if (this.startsWith('not(')) {
      this.emit(T.NotParen, 'not(');
      this.pushThen('afterOperand', 'expr');
      return true;
    }
    if (this.text[this.pos] === '(') {
      this.emit(T.LParen, '(');
      this.pushThen('afterOperand', 'expr');
      return true;
    }
    if (this.field('op')) return true;
    if (this.transformer('op', false)) return true;
    const id = this.match(IDENTIFIER);
    if (id === null) return false;
    this.emit(T.Identifier, id);
    this.mode = 'afterOperand';
    return true;
  }

  private operator(): boolean {
    const next = (image: string, type: TokenType, mode: Mode) => {
      this.emit(type, image);
      this.mode = mode;
      return true;
    };
    if (this.startsWith('exists')) return next('exists', T.UnaryOp, 'afterOperand');
    for (const op of ['<=', '<', '>=', '>']) if (this.startsWith(op)) return next(op, T.NumOp, 'numVal');
    for (const op of [...SYMBOL_STR_OPS, ...WORD_STR_OPS]) {
      if (!this.startsWith(op)) continue;
      const word = WORD_STR_OPS.includes(op);
      // Word operators need a blank after them; the blank goes with the operator.
      if (word && !isBlank(this.text[this.pos + op.length])) continue;
      this.wordOp = word;
      return next(word ? op + this.text[this.pos + op.length] : op, T.StrOp, 'strVal');
    }
    for (const op of ['intersects', 'in', 'pmatch']) if (this.startsWith(op)) return next(op, T.ListOp, 'listVal');
    return false;
  }

  private strValue(): boolean {
    if ((this.wordOp || this.blankBefore) && this.modifierAhead()) return true;
    if (this.transformer('afterOperand', true)) return true;
    return this.stringValue('afterOperand');
  }

  /** A quoted or bare string value, then `next`. */
  private stringValue(next: Mode): boolean {
    const v = this.quoted();
    if (v !== null) this.emit(T.QuotedStr, v);
    else {
      const bare = this.match(BARE_STR);
      if (bare === null) return false;
      this.emit(T.BareStr, bare);
    }
    this.mode = next;
    return true;
  }

  /** `oneof`/`anyof`/`allof` + blanks, then "(" or a list name that is not and/or/not. */
  private modifierAhead(): boolean {
    const mod = this.match(MODIFIER);
    if (mod === null) return false;
    const after = this.pos + mod.length;
    const c = this.text[after];
    if (c !== '(') {
      if (c === undefined || !/[a-zA-Z]/.test(c)) return false;
      KEYWORD_AHEAD.lastIndex = after;
      if (KEYWORD_AHEAD.test(this.text)) return false;
    }
    this.emit(T.Modifier, mod);
    this.mode = 'modList';
    return true;
  }

  private identifierValue(): boolean {
    const id = this.match(IDENTIFIER);
    if (id === null) return false;
    this.emit(T.Identifier, id);
    this.mode = 'afterOperand';
    return true;
  }

  private listItem(): boolean {
    return this.stringValue('listAfterItem');
  }

  private transformerArg(): boolean {
    const n = this.match(HEX_NUMBER) ?? this.match(NUMBER);
    if (n !== null) {
      this.emit(T.Number, n);
      this.mode = 'afterTarg';
      return true;
    }
    const q = this.quoted();
    if (q !== null) {
      this.emit(T.QuotedStr, q);
      this.mode = 'afterTarg';
      return true;
    }
    if (this.text[this.pos] === '(') {
      this.emit(T.TListOpen, '(');
      this.pushThen('afterTarg', 'tlist');
      return true;
    }
    return this.transformer('afterTarg', false) || this.field('afterTarg');
  }

  private transformerListItem(): boolean {
    if (this.field('afterTlistItem') || this.transformer('afterTlistItem', false)) return true;
    const q = this.quoted();
    const n = q ?? this.match(HEX_NUMBER) ?? this.match(NUMBER);
    if (n === null) return false;
    this.emit(q !== null ? T.QuotedStr : T.Number, n);
    this.mode = 'afterTlistItem';
    return true;
  }
}
