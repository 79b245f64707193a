// Type checking a (macro-expanded) condition against a field catalog: field existence and
// arguments, transformer signatures, operator vs type, right-hand constants parsed per type,
// field-to-field comparisons. Stops at the first error, like libsinsp's filter compiler, and
// collects its compile-time warnings.
import type { FieldCatalog } from '../../runtime/fields/catalog.ts';
import type { FieldType } from '../../runtime/fields/field-info.ts';
import type {
  BinaryCheck, Expr, FieldRef, Operand, RightHand, TransformerArg, TransformerExpr, UnaryCheck,
} from '../parse/ast.ts';
import { splitModifier } from '../parse/ast.ts';
import { printOperand } from '../parse/print.ts';
import type { Constant, TypedArgList, TypedCheck, TypedExpr, TypedField, TypedOperand, TypedTransformer, TypedTransformerArg } from './typed.ts';
import { resolveField, FieldError } from './field-resolve.ts';
import { operatorError } from './operator-rules.ts';
import { parseConstant, parseHexConstant, ValueError, STRING_TYPES } from './values.ts';
import { constantWarnings } from './condition-warnings.ts';
import { compileRegex, RegexSyntaxError } from '../../runtime/operators/regex.ts';
import { isEventName, isSyscallName } from '../../runtime/events/event-index.ts';

/** A check failure, located at the AST node that caused it. */
export class CheckError extends Error {
  constructor(message: string, readonly node: { start: number; end: number }) {
    super(message);
  }
}

export interface CheckWarning {
  message: string;
  node: { start: number; end: number };
}

export interface CheckOptions {
  catalog: FieldCatalog;
  /** Async event names defined by loaded plugins (valid `evt.type` values). */
  asyncEventNames?: ReadonlySet<string>;
}

export interface CheckResult {
  typed: TypedExpr;
  warnings: CheckWarning[];
}

const EVENT_TYPE_FIELDS = new Set(['evt.type', 'syscall.type']);
const EQUALITY_OPS = new Set(['=', '==', '!=', 'in', 'intersects']);

export function typecheck(expr: Expr, opts: CheckOptions): CheckResult {
  const checker = new Checker(opts);
  return { typed: checker.expr(expr), warnings: checker.warnings };
}

class Checker {
  readonly warnings: CheckWarning[] = [];
  constructor(private readonly opts: CheckOptions) {}

  expr(e: Expr): TypedExpr {
    switch (e.kind) {
      case 'and':
      case 'or':
        return { kind: e.kind, children: e.children.map((c) => this.expr(c)) };
      case 'not':
        return { kind: 'not', child: this.expr(e.child) };
      case 'identifier':
        throw new CheckError(`filter error: unexpected identifier '${e.name}'`, e);
      case 'unary':
      case 'binary':
        return this.check(e);
    }
  }

  private check(e: UnaryCheck | BinaryCheck): TypedCheck {
    const left = this.operand(e.left);
    if (e.kind === 'unary') return { kind: 'check', op: 'exists', left, node: e };
    const { base, modifier } = splitModifier(e.op);
    const opErr = operatorError(left.type, left.isList, base, modifier);
    if (opErr) throw new CheckError(opErr, e);
    const out: TypedCheck = { kind: 'check', op: base, left, node: e };
    if (modifier) out.modifier = modifier as TypedCheck['modifier'];
    if (e.right.kind === 'transformer') {
      out.rhs = this.rightOperand(left, base, e.right, e);
      return out;
    }
    const listOp = base === 'in' || base === 'intersects' || base === 'pmatch' || modifier !== undefined;
    const texts = e.right.kind === 'list' ? e.right.values : [e.right.value];
    const starts = e.right.kind === 'list' ? e.right.valueStarts : [e.right.start];
    out.listSyntax = e.right.kind === 'list' || listOp;
    out.values = texts.map((t, i) => {
      const at = { start: starts[i]!, end: starts[i]! + t.length };
      const c = this.constant(t, left, base, at);
      for (const message of constantWarnings(t, base, this.opts.catalog)) this.warnings.push({ message, node: at });
      return c;
    });
    return out;
  }

  private constant(text: string, left: TypedOperand, op: string, at: { start: number; end: number }): Constant {
    try {
      if (op === 'bcontains' || op === 'bstartswith') return parseHexConstant(text);
      const c = parseConstant(text, left.type);
      if (op === 'regex') compileRegex(text);
      if (left.kind === 'field' && EVENT_TYPE_FIELDS.has(left.field.name) && EQUALITY_OPS.has(op)) {
        if (!isEventName(text) && !isSyscallName(text) && !this.opts.asyncEventNames?.has(text)) {
          throw new ValueError(`unknown event type ${text}`);
        }
      }
      return c;
    } catch (err) {
      if (err instanceof ValueError) throw new CheckError(err.message, at);
      if (err instanceof RegexSyntaxError) throw new CheckError(`invalid regex pattern: ${err.message}`, at);
      throw err;
    }
  }

  private rightOperand(left: TypedOperand, op: string, r: TransformerExpr, check: BinaryCheck): TypedOperand {
    if (op === 'pmatch' || op === 'regex') {
      throw new CheckError(`filter error: operator '${op.toUpperCase()}' doesn't support right-hand side fields`, r);
    }
    const rhs = r.name === 'val' ? this.valOperand(r) : this.operand(r);
    if (left.kind === 'field' && left.field.flags.includes('NO_RHS')) {
      throw new CheckError(`filter error: field '${printOperand(left.node)}' doesn't support right-hand side fields`, check);
    }
    if (left.type === 'IPNET') {
      throw new CheckError(`filter error: field '${printOperand(left.node)}' of type IPNET can't be compared with a right-hand side field`, check);
    }
    if (rhs.type !== left.type || rhs.isList !== left.isList) {
      const t = (o: TypedOperand) => (o.isList ? `${o.type} (list)` : o.type);
      throw new CheckError(
        `filter error: field '${printOperand(left.node)}' has type '${t(left)}' while the right-hand side field '${printOperand(rhs.node)}' has incompatible type '${t(rhs)}'`,
        check,
      );
    }
    return rhs;
  }

  private valOperand(r: TransformerExpr): TypedOperand {
    if (r.arg !== undefined) throw new CheckError(`filter error: transformer 'val' does not support field arguments`, r);
    const f = this.field(r.args[0] as FieldRef);
    if (f.field.flags.includes('NO_RHS')) {
      throw new CheckError(`filter error: field '${printOperand(f.node)}' can't be used as a right-hand side field`, r);
    }
    return f;
  }

  operand(o: Operand): TypedOperand {
    return o.kind === 'field' ? this.field(o) : this.transformer(o);
  }

  private field(f: FieldRef): TypedField {
    try {
      const r = resolveField(f.name, f.arg, this.opts.catalog);
      const out: TypedField = { kind: 'field', field: r.field, type: r.type, isList: r.isList, node: f };
      if (r.arg !== undefined) out.arg = r.arg;
      if (r.argIndex !== undefined) out.argIndex = r.argIndex;
      return out;
    } catch (err) {
      if (err instanceof FieldError) throw new CheckError(err.message, f);
      throw err;
    }
  }

  private arg(a: TransformerArg): TypedTransformerArg {
    switch (a.kind) {
      case 'value':
        return { kind: 'constant', value: a.value, node: a };
      case 'transformer_list':
        return {
          kind: 'arglist',
          items: a.items.map((i) => (i.kind === 'value' ? { kind: 'constant', value: i.value, node: i } : this.operand(i))),
        } satisfies TypedArgList;
      default:
        return this.operand(a);
    }
  }

  private transformer(t: TransformerExpr): TypedTransformer {
    const fail = (msg: string): never => {
      throw new CheckError(msg, t);
    };
    if (t.arg !== undefined && t.name !== 'getopt') fail(`filter error: transformer '${t.name}' does not support field arguments`);
    const args = t.args.map((a) => this.arg(a));
    // Falco refuses transformers on fields flagged NO_TRANSFORMER (ancestor fields, evt.rawarg, …).
    for (const a of args) {
      if (a.kind === 'field' && a.field.flags.includes('NO_TRANSFORMER')) {
        fail(`filter error: field '${printOperand(a.node)}' does not support transformers`);
      }
    }
    const shape = (a: TypedTransformerArg): { type: FieldType; isList: boolean } =>
      a.kind === 'constant' ? { type: 'CHARBUF', isList: false } : a.kind === 'arglist' ? { type: 'CHARBUF', isList: true } : a;
    const stringy = (a: TypedTransformerArg) => STRING_TYPES.has(shape(a).type);
    const out = (type: FieldType, isList: boolean): TypedTransformer => {
      const r: TypedTransformer = { kind: 'transformer', name: t.name, args, type, isList, node: t };
      if (t.arg !== undefined) r.arg = t.arg;
      return r;
    };
    const unsupported = (a: TypedTransformerArg) => {
      const s = shape(a);
      const on = a.kind === 'constant' || a.kind === 'arglist' ? 'value' : `${s.isList ? 'list field' : 'field'} '${printOperand(a.node)}'`;
      fail(`filter error: can't add field transformer: type '${s.type}' is not supported by '${t.name}' transformer applied on ${on}`);
    };
    switch (t.name) {
      case 'tolower':
      case 'toupper':
      case 'basename':
      case 'b64':
      case 'len': {
        if (args.length !== 1) fail(`filter error: ${t.name}() requires exactly 1 argument`);
        const a = args[0]!;
        const s = shape(a);
        if (t.name === 'len') {
          if (!s.isList && !STRING_TYPES.has(s.type) && s.type !== 'BYTEBUF') unsupported(a);
          return out('UINT64', false);
        }
        const ok = t.name === 'b64' ? s.type === 'CHARBUF' || s.type === 'BYTEBUF' : STRING_TYPES.has(s.type);
        if (!ok) unsupported(a);
        return out(s.type, s.isList);
      }
      case 'join': {
        if (args.length !== 2) fail('join() requires exactly 2 arguments: separator and list');
        if (shape(args[0]!).isList) fail('join() first argument (separator) must be a single value, not a list');
        if (!shape(args[1]!).isList) fail('join() second argument must be a list');
        return out('CHARBUF', false);
      }
      case 'concat': {
        if (args.length < 2) fail('concat() requires at least 2 arguments');
        if (args.some((a) => shape(a).isList || !stringy(a))) fail('concat() arguments must be strings');
        return out('CHARBUF', false);
      }
      case 'getopt': {
        if (args.length !== 2) fail('getopt() requires exactly 2 arguments: args list and optstring');
        if (!shape(args[0]!).isList) fail('getopt() first argument must be a list');
        if (shape(args[1]!).isList) fail('getopt() second argument (optstring) must be a single value');
        if (!args.every(stringy)) fail('getopt() arguments must be strings');
        if (t.arg !== undefined) {
          if (t.arg.length !== 1) fail('getopt() field argument must be a single option character');
          return out('CHARBUF', false);
        }
        return out('CHARBUF', true);
      }
      default:
        return fail(`filter error: unknown transformer '${t.name}'`);
    }
  }
}

/** The right-hand side kinds a check can have, for callers that only need the shape. */
export type { RightHand };
