// Compiles everything collected so far, as Falco does after each file: lists, then macros
// (parse, then expand with visibility), then rules (exceptions, outputs, condition: list
// substitution, parse, macro expansion, warnings, type check, event types). The first error
// aborts; unused lists/macros are reported only after a successful compile.
import { CONTAINER_INFO, extraApplies, ruleOutputFormat, type ExtraOutput, type ExtraOutputField } from './output-extras.ts';
import { LoadError, type Context, type Diagnostic, type ErrorCode, type WarningCode } from '../diagnostics.ts';
import type { ConditionOrigin, Expr, Operand, RightHand, TransformerArg } from '../parse/ast.ts';
import { parseCondition, ConditionSyntaxError, RULE_CONDITION_MAX_DEPTH } from '../parse/parse.ts';
import { byteToCharMapper, fromByteString, toByteString } from '../load/source-file.ts';
import type { FieldCatalog } from '../../runtime/fields/catalog.ts';
import { SYSCALL_SOURCE } from '../../runtime/fields/catalog.ts';
import type { Collector, RuleInfo } from './collector.ts';
import { JoinedText, type FilePosition } from './joined-text.ts';
import { substituteLists, ConditionTooLarge, type CompiledList as ListForSubstitution } from './lists.ts';
import { MacroExpander, MacroError } from './macros.ts';
import { exceptionConditionText } from './exceptions.ts';
import type { CompiledList, CompiledMacro, CompiledRule, Ruleset } from './ruleset.ts';
import { typecheck, CheckError } from '../check/typecheck.ts';
import { loaderWarnings, DEPRECATED_FIELDS } from '../check/loader-warnings.ts';
import { compileOutput, OutputFormatError, type CompiledOutput } from '../check/output-format.ts';
import { conditionEventCodes, EventTypeError, MAX_EVENT_CODES_BEFORE_WARNING } from '../check/event-types.ts';
import { closest } from '../check/suggest.ts';

/** falco.yaml's append_output entries that add text (extra_output) or fields (extra_fields). */
export type { ExtraOutput, ExtraOutputField };

export interface CompileConfig {
  catalogFor(source: string): FieldCatalog | undefined;
  extraOutputs?: readonly ExtraOutput[];
  extraOutputFields?: readonly ExtraOutputField[];
  /** Plugin-defined async event names, valid as `evt.type` values. */
  asyncEventNames?: ReadonlySet<string>;
  /**
   * Parsed conditions kept across the compiles of one load (Falco recompiles everything after
   * each file): a condition whose text is unchanged after list substitution is not re-parsed.
   */
  parseCache?: WeakMap<JoinedText, { text: string; ast: Expr; origin: ConditionOrigin }>;
}

export interface CompileOutcome {
  ruleset?: Ruleset;
  diagnostics: Diagnostic[];
}

const SKIPPABLE = ['nonexistent field', 'invalid formatting token', 'unknown event type', 'unknown filter:'];

/** Falco names a condition location by a quoted prefix of the condition. */
function snippetName(condition: string): string {
  const shown = condition.length > 20 ? condition.slice(0, 17) + '...' : condition;
  return `"${fromByteString(shown).replace(/[\r\n]/g, ' ')}"`;
}

function forEachNode(e: Expr, f: (n: { origin?: ConditionOrigin }) => void): void {
  const operand = (o: Operand | RightHand | TransformerArg) => {
    f(o);
    if (o.kind === 'transformer') o.args.forEach(operand);
    else if (o.kind === 'transformer_list') o.items.forEach(operand);
  };
  f(e);
  switch (e.kind) {
    case 'and':
    case 'or':
      e.children.forEach((c) => forEachNode(c, f));
      break;
    case 'not':
      forEachNode(e.child, f);
      break;
    case 'unary':
      operand(e.left);
      break;
    case 'binary':
      operand(e.left);
      operand(e.right);
      break;
  }
}

export function compileCollection(col: Collector, cfg: CompileConfig): CompileOutcome {
  return new CollectionCompiler(col, cfg).run();
}

class CollectionCompiler {
  private readonly diagnostics: Diagnostic[] = [];
  private lists: (CompiledList & { ctx: Context })[] = [];
  private readonly macroAsts = new Map<string, { ast: Expr; index: number }>();
  private readonly expander: MacroExpander;

  constructor(private readonly col: Collector, private readonly cfg: CompileConfig) {
    this.expander = new MacroExpander({ get: (name) => this.macroAsts.get(name) });
  }

  run(): CompileOutcome {
    let rules: CompiledRule[];
    try {
      this.compileLists();
      this.compileMacros();
      rules = this.compileRules();
    } catch (e) {
      if (e instanceof LoadError) {
        this.diagnostics.push(e.toDiagnostic());
        return { diagnostics: this.diagnostics };
      }
      throw e;
    }
    const macros: CompiledMacro[] = this.col.orderedMacros().map((m) => ({
      name: m.name, condition: m.condition.text, used: this.expander.used.has(m.name),
    }));
    for (const m of this.col.orderedMacros()) {
      if (!this.expander.used.has(m.name)) this.warn(m.ctx, 'LOAD_UNUSED_MACRO', 'Macro not referred to by any other rule/macro');
    }
    for (const l of this.lists) if (!l.used) this.warn(l.ctx, 'LOAD_UNUSED_LIST', 'List not referred to by any other rule/macro');
    const ruleset: Ruleset = {
      rules,
      lists: this.lists.map(({ ctx: _ctx, ...l }) => l),
      macros,
      pluginRequirements: this.col.pluginRequirements.map((p) => p.alternatives),
    };
    if (this.col.requiredEngineVersion) ruleset.requiredEngineVersion = this.col.requiredEngineVersion.version;
    return { ruleset, diagnostics: this.diagnostics };
  }

  private warn(ctx: Context, code: WarningCode, message: string, extra?: { length?: number; hint?: string }): void {
    this.diagnostics.push(ctx.diagnostic('warning', code, message, extra));
  }

  // ---- lists ----

  private compileLists(): void {
    const infos = this.col.orderedLists();
    const usedNames = new Set<string>();
    this.lists = infos.map((l) => {
      const items: string[] = [];
      const refs: string[] = [];
      for (const item of l.items) {
        const ref = this.col.lists.get(item);
        if (ref && ref.index < l.visibility) {
          usedNames.add(ref.name);
          refs.push(ref.name);
          items.push(...ref.items);
        } else items.push(item);
      }
      return { name: l.name, items, lists: refs, used: false, ctx: l.ctx };
    });
    for (const l of this.lists) if (usedNames.has(l.name)) l.used = true;
  }

  // ---- conditions ----

  /** Substitutes lists into a condition and parses it, tagging every node with its origin. */
  private parse(text: JoinedText, ctx: Context, itemType: 'rule' | 'macro', itemName: string): { ast: Expr; origin: ConditionOrigin } {
    let sub;
    try {
      sub = substituteLists(text.text, this.lists as readonly ListForSubstitution[]);
    } catch (e) {
      if (e instanceof ConditionTooLarge) throw new LoadError('LOAD_ERR_COMPILE_CONDITION', e.message, ctx);
      throw e;
    }
    for (const name of sub.used) {
      const l = this.lists.find((x) => x.name === name);
      if (l) l.used = true;
    }
    const cached = this.cfg.parseCache?.get(text);
    if (cached && cached.text === sub.text) return cached;
    const bytes = toByteString(sub.text);
    const b2c = byteToCharMapper(sub.text);
    const origin: ConditionOrigin = {
      text: bytes,
      itemType,
      itemName,
      locate: (offset) => text.locate(sub.origin(b2c(offset))),
    };
    let ast: Expr;
    try {
      ast = parseCondition(bytes, RULE_CONDITION_MAX_DEPTH);
    } catch (e) {
      if (e instanceof ConditionSyntaxError) {
        throw new LoadError('LOAD_ERR_COMPILE_CONDITION', fromByteString(e.message), this.at(ctx, origin, e.offset));
      }
      throw e;
    }
    forEachNode(ast, (n) => (n.origin = origin));
    this.cfg.parseCache?.set(text, { text: sub.text, ast, origin });
    return { ast, origin };
  }

  /** The context of a position inside a condition: Falco's "condition expression" location. */
  private at(ctx: Context, origin: ConditionOrigin, offset: number): Context {
    const pos: FilePosition = origin.locate!(offset);
    return ctx.child('condition expression', '', pos, snippetName(origin.text));
  }

  private nodeError(
    code: ErrorCode,
    message: string,
    ctx: Context,
    node: { start: number; end: number; origin?: ConditionOrigin },
    fallback: ConditionOrigin,
    catalog?: FieldCatalog,
  ): LoadError {
    const origin = node.origin ?? fallback;
    const start = origin.locate!(node.start);
    const end = origin.locate!(node.end);
    const hints: string[] = [];
    const suggestion = this.suggest(message, catalog);
    if (suggestion) hints.push(`did you mean ${suggestion}?`);
    if (origin !== fallback) hints.push(`the problem is in macro '${origin.itemName}', used by this ${fallback.itemType}`);
    const extra: { length?: number; hint?: string } = { length: Math.max(1, end.offset - start.offset) };
    if (hints.length) extra.hint = hints.join('; ');
    return new LoadError(code, fromByteString(message), this.at(ctx, origin, node.start), extra);
  }

  private suggest(message: string, catalog?: FieldCatalog): string | undefined {
    const field = /nonexistent field ([^\s\[]+)/.exec(message)?.[1];
    if (field && catalog) return closest(field, catalog.fields.map((f) => f.name));
    const macro = /^Undefined macro '(.*)' used in filter\.$/.exec(message)?.[1];
    if (macro) {
      const names = [...this.macroAsts.keys()];
      const m = closest(macro, names);
      if (m) return `macro '${m}'`;
      const list = closest(macro, this.lists.map((l) => l.name));
      if (list) return `list '${list}' (lists are used as values: 'field in (${list})')`;
    }
    return undefined;
  }

  private compileMacros(): void {
    const infos = this.col.orderedMacros();
    for (const m of infos) this.macroAsts.set(m.name, { ast: this.parse(m.condition, m.condCtx, 'macro', m.name).ast, index: m.index });
    for (const m of infos) {
      const { ast } = this.macroAsts.get(m.name)!;
      try {
        this.expander.expand(ast, m.visibility);
      } catch (e) {
        if (e instanceof MacroError) throw this.nodeError('LOAD_ERR_VALIDATE', e.message, m.ctx, e.node, ast.origin!);
        throw e;
      }
    }
  }

  // ---- rules ----

  private compileRules(): CompiledRule[] {
    const out: CompiledRule[] = [];
    for (const r of this.col.orderedRules()) {
      if (r.unknownSource) continue;
      const rule = this.compileRule(r);
      if (rule) out.push(rule);
    }
    return out;
  }

  private compileFormat(format: string, catalog: FieldCatalog, r: RuleInfo): CompiledOutput | undefined {
    try {
      return compileOutput(format, catalog);
    } catch (e) {
      if (!(e instanceof OutputFormatError)) throw e;
      if (r.skipIfUnknownFilter && SKIPPABLE.some((s) => e.message.includes(s))) {
        this.warn(r.outputCtx, 'LOAD_UNKNOWN_FILTER', e.message);
        return undefined;
      }
      const pos = e.offset < r.output.text.length ? r.output.locate(e.offset) : r.output.locate(r.output.text.length);
      throw new LoadError('LOAD_ERR_COMPILE_OUTPUT', e.message, r.outputCtx.child('rule output expression', '', pos));
    }
  }

  private deprecatedInOutput(format: string, ctx: Context): void {
    for (const f of Object.keys(DEPRECATED_FIELDS)) {
      if (format.includes(f)) this.warn(ctx, 'LOAD_DEPRECATED_ITEM', `usage of deprecated field '${f}' has been detected in the rule output`);
    }
  }

  private compileRule(r: RuleInfo): CompiledRule | undefined {
    const catalog = this.cfg.catalogFor(r.source)!;
    // Exceptions are compiled by building condition text.
    let condition = r.condition;
    const exceptionFields = new Set<string>();
    if (r.exceptions.length > 0) {
      const anchor = r.condCtx.locations[r.condCtx.locations.length - 1]!;
      condition = condition.wrap('(', ')', anchor);
      for (const ex of r.exceptions) {
        const x = exceptionConditionText(ex);
        const fields = ex.fields!;
        for (const f of fields.isList ? fields.items : [fields]) if (!f.isList) exceptionFields.add(f.item);
        if (x) {
          const exAnchor = ex.ctx.locations[ex.ctx.locations.length - 1]!;
          condition = condition.concat(JoinedText.generated(` and not ${x}`, exAnchor), '');
        }
      }
    }

    const output = ruleOutputFormat(r.output.text, r, this.cfg.extraOutputs ?? []);
    if (r.output.text.includes(CONTAINER_INFO) || (this.cfg.extraOutputs ?? []).some((x) => extraApplies(x, r) && x.format.includes(CONTAINER_INFO))) {
      this.warn(r.ctx, 'LOAD_DEPRECATED_ITEM',
        '%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container plugin will automatically add required fields to the output message.');
    }
    const compiledOutput = this.compileFormat(output, catalog, r);
    if (!compiledOutput) return undefined;
    this.deprecatedInOutput(output, r.outputCtx);
    const extraOutputFields: CompiledRule['extraOutputFields'] = [];
    for (const extra of this.cfg.extraOutputFields ?? []) {
      if (!extraApplies(extra, r)) continue;
      const compiled = this.compileFormat(extra.format, catalog, r);
      if (!compiled) return undefined;
      this.deprecatedInOutput(extra.format, r.outputCtx);
      extraOutputFields.push({ key: extra.key, format: extra.format, compiled });
    }

    const { ast: parsed, origin } = this.parse(condition, r.condCtx, 'rule', r.name);
    let ast: Expr;
    try {
      ast = this.expander.expand(parsed).tree;
    } catch (e) {
      if (e instanceof MacroError) throw this.nodeError('LOAD_ERR_VALIDATE', e.message, r.ctx, e.node, origin);
      throw e;
    }
    for (const w of loaderWarnings(ast)) {
      const n = w.node as { start: number; end: number; origin?: ConditionOrigin };
      const o = n.origin ?? origin;
      this.warn(this.at(r.condCtx, o, n.start), w.code, w.message);
    }
    let checked;
    try {
      checked = typecheck(ast, { catalog, ...(this.cfg.asyncEventNames ? { asyncEventNames: this.cfg.asyncEventNames } : {}) });
    } catch (e) {
      if (!(e instanceof CheckError)) throw e;
      if (r.skipIfUnknownFilter && SKIPPABLE.some((s) => e.message.includes(s))) {
        const n = e.node as { start: number; origin?: ConditionOrigin };
        this.warn(this.at(r.condCtx, n.origin ?? origin, n.start), 'LOAD_UNKNOWN_FILTER', fromByteString(e.message));
        return undefined;
      }
      throw this.nodeError('LOAD_ERR_COMPILE_CONDITION', e.message, r.condCtx, e.node as never, origin, catalog);
    }
    for (const w of checked.warnings) {
      const n = w.node as { start: number; origin?: ConditionOrigin };
      this.warn(this.at(r.condCtx, n.origin ?? origin, n.start), 'LOAD_COMPILE_CONDITION', fromByteString(w.message));
    }

    const rule: CompiledRule = {
      name: r.name,
      desc: r.desc,
      priority: r.priority,
      source: r.source,
      enabled: r.enabled,
      tags: r.tags,
      capture: r.capture,
      captureDuration: r.captureDuration,
      warnEvttypes: r.warnEvttypes,
      skipIfUnknownFilter: r.skipIfUnknownFilter,
      conditionSource: r.condition.text,
      outputSource: r.output.text,
      ast,
      typed: checked.typed,
      output,
      compiledOutput,
      extraOutputFields,
      exceptionFields: [...exceptionFields].sort(),
      index: r.index,
      ctx: r.ctx,
    };
    if (r.source === SYSCALL_SOURCE) {
      try {
        rule.eventCodes = conditionEventCodes(ast, this.cfg.asyncEventNames);
      } catch (e) {
        if (e instanceof EventTypeError) throw this.nodeError('LOAD_ERR_COMPILE_CONDITION', e.message, r.condCtx, e.node as never, origin);
        throw e;
      }
      if (r.warnEvttypes && rule.eventCodes.size > MAX_EVENT_CODES_BEFORE_WARNING) {
        this.warn(r.ctx, 'LOAD_NO_EVTTYPE', 'Rule matches too many evt.type values. This has a significant performance penalty.');
      }
    }
    return rule;
  }
}
