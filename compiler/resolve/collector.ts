// Accumulates the items of all loaded files: definitions, redefinitions, legacy appends and
// overrides, exactly as Falco's collector does (positions in load order, visibility, the same
// errors). Every list/macro/rule item consumes the next sequence number.
import { LoadError, type Diagnostic, type Context } from '../diagnostics.ts';
import type {
  LoadItem, ListItem, MacroItem, PluginRequirement, RuleDefineItem, RuleEnableItem, RuleFields, RuleUpdateItem, Semver,
} from '../load/items.ts';
import { parseSemver } from '../load/reader.ts';
import { JoinedText } from './joined-text.ts';
import { validateException } from './exceptions.ts';

export interface ListInfo {
  name: string;
  items: string[];
  index: number;
  visibility: number;
  ctx: Context;
}

export interface MacroInfo {
  name: string;
  condition: JoinedText;
  condCtx: Context;
  index: number;
  visibility: number;
  ctx: Context;
}

/** A rule as collected: its fields, with condition and output joined across appends. */
export interface RuleInfo extends Omit<RuleFields, 'condition' | 'output'> {
  name: string;
  condition: JoinedText;
  condCtx: Context;
  output: JoinedText;
  outputCtx: Context;
  index: number;
  visibility: number;
  unknownSource: boolean;
  ctx: Context;
}

export interface CollectorConfig {
  /** Event sources rules may use (others are kept but skipped, with a warning). */
  sources: ReadonlySet<string>;
  engineVersion: Semver;
  /** Whether `lhs` (a field or transformer expression) is valid for `source`. */
  isField(source: string, lhs: string): boolean;
}

export function semverString(v: Semver): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function semverCompare(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export class Collector {
  readonly lists = new Map<string, ListInfo>();
  readonly macros = new Map<string, MacroInfo>();
  readonly rules = new Map<string, RuleInfo>();
  readonly pluginRequirements: { alternatives: PluginRequirement[]; ctx: Context }[] = [];
  requiredEngineVersion: { version: Semver; ctx: Context } | undefined;
  private nextIndex = 0;

  constructor(private readonly cfg: CollectorConfig) {}

  /** Applies one item; throws LoadError; reports warnings through `warn`. */
  apply(item: LoadItem, warn: (d: Diagnostic) => void): void {
    switch (item.kind) {
      case 'required_engine_version':
        return this.engineVersion(item.version, item.ctx);
      case 'required_plugin_versions':
        return this.pluginVersions(item.alternatives, item.ctx);
      case 'list':
        return item.action === 'define' ? this.defineList(item) : this.appendList(item);
      case 'macro':
        return item.action === 'define' ? this.defineMacro(item) : this.appendMacro(item);
      case 'rule':
        switch (item.action) {
          case 'define':
            return this.defineRule(item, warn);
          case 'enable':
            return this.enableRule(item);
          default:
            return this.updateRule(item);
        }
    }
  }

  /** Rules in load order (position of their first definition). */
  orderedRules(): RuleInfo[] {
    return [...this.rules.values()].sort((a, b) => a.index - b.index);
  }
  orderedMacros(): MacroInfo[] {
    return [...this.macros.values()].sort((a, b) => a.index - b.index);
  }
  orderedLists(): ListInfo[] {
    return [...this.lists.values()].sort((a, b) => a.index - b.index);
  }

  private engineVersion(required: Semver, ctx: Context): void {
    const engine = this.cfg.engineVersion;
    if (engine.major !== required.major || semverCompare(engine, required) < 0) {
      throw new LoadError(
        'LOAD_ERR_VALIDATE',
        `Rules require engine version ${semverString(required)}, but engine version is ${semverString(engine)}`,
        ctx,
      );
    }
    if (!this.requiredEngineVersion || semverCompare(this.requiredEngineVersion.version, required) < 0) {
      this.requiredEngineVersion = { version: required, ctx };
    }
  }

  private pluginVersions(alternatives: PluginRequirement[], ctx: Context): void {
    const seen = new Set<string>();
    for (const r of alternatives) {
      if (!parseSemver(r.version)) throw new LoadError('LOAD_ERR_VALIDATE', `Invalid required version '${r.version}' for plugin '${r.name}'`, ctx);
      if (seen.has(r.name)) throw new LoadError('LOAD_ERR_VALIDATE', `Defined multiple alternative version requirements for plugin '${r.name}'`, ctx);
      seen.add(r.name);
    }
    this.pluginRequirements.push({ alternatives, ctx });
  }

  /** Falco's define_info: a redefinition replaces the content but keeps the position. */
  private define<T extends { name: string; index: number; visibility: number }>(map: Map<string, T>, info: T): void {
    const id = this.nextIndex++;
    const prev = map.get(info.name);
    info.index = prev ? prev.index : id;
    info.visibility = id;
    map.set(info.name, info);
  }

  private defineList(item: ListItem): void {
    this.define(this.lists, { name: item.name, items: [...item.items], index: 0, visibility: 0, ctx: item.ctx });
  }

  private appendList(item: ListItem): void {
    const prev = this.lists.get(item.name);
    if (!prev) throw new LoadError('LOAD_ERR_VALIDATE', "List uses 'append' or 'override.items: append' but no list by that name already exists", item.ctx);
    prev.items.push(...item.items);
    prev.visibility = this.nextIndex++;
  }

  private defineMacro(item: MacroItem): void {
    this.define(this.macros, {
      name: item.name, condition: JoinedText.of(item.condition), condCtx: item.condition.ctx, index: 0, visibility: 0, ctx: item.ctx,
    });
  }

  private appendMacro(item: MacroItem): void {
    const prev = this.macros.get(item.name);
    if (!prev) {
      throw new LoadError('LOAD_ERR_VALIDATE', "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists", item.ctx);
    }
    prev.condition = prev.condition.concat(JoinedText.of(item.condition));
    prev.visibility = this.nextIndex++;
  }

  private fieldCheck(source: string): ((lhs: string) => boolean) | undefined {
    return this.cfg.sources.has(source) ? (lhs) => this.cfg.isField(source, lhs) : undefined;
  }

  private defineRule(item: RuleDefineItem, warn: (d: Diagnostic) => void): void {
    const prev = this.rules.get(item.name);
    if (prev && prev.source !== item.source) throw new LoadError('LOAD_ERR_VALIDATE', 'Rule has been re-defined with a different source', item.ctx);
    const unknownSource = !this.cfg.sources.has(item.source);
    if (unknownSource) warn(item.ctx.diagnostic('warning', 'LOAD_UNKNOWN_SOURCE', `Unknown source ${item.source}, skipping`));
    for (const ex of item.exceptions) {
      if (!ex.fields) throw new LoadError('LOAD_ERR_VALIDATE', 'Rule exception item must have fields property with a list of fields', ex.ctx);
      validateException(ex, this.fieldCheck(item.source));
    }
    this.define(this.rules, {
      name: item.name,
      condition: JoinedText.of(item.condition),
      condCtx: item.condition.ctx,
      output: JoinedText.of(item.output),
      outputCtx: item.output.ctx,
      desc: item.desc,
      priority: item.priority,
      source: item.source,
      enabled: item.enabled,
      warnEvttypes: item.warnEvttypes,
      skipIfUnknownFilter: item.skipIfUnknownFilter,
      capture: item.capture,
      captureDuration: item.captureDuration,
      tags: item.tags,
      exceptions: item.exceptions,
      index: 0,
      visibility: 0,
      unknownSource,
      ctx: item.ctx,
    });
  }

  private enableRule(item: RuleEnableItem): void {
    const prev = this.rules.get(item.name);
    if (!prev) throw new LoadError('LOAD_ERR_VALIDATE', "Rule has 'enabled' key but no rule by that name already exists", item.ctx);
    prev.enabled = item.enabled;
  }

  private updateRule(item: RuleUpdateItem): void {
    const prev = this.rules.get(item.name);
    const f = item.fields;
    const fail = (msg: string, ctx = item.ctx): never => {
      throw new LoadError('LOAD_ERR_VALIDATE', msg, ctx);
    };
    if (!prev) {
      return fail(item.action === 'append'
        ? "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists"
        : "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists");
    }
    if (Object.keys(f).length === 0) {
      fail(item.action === 'append' ? 'Appended rule must have exceptions or condition property' : 'The rule must have at least one field that can be replaced');
    }
    if (item.source !== '' && prev.source !== '' && item.source !== prev.source) fail('Rule has been re-defined with a different source');
    const check = prev.unknownSource ? undefined : this.fieldCheck(prev.source);
    if (item.action === 'append') {
      if (f.condition && f.condition.text !== '') prev.condition = prev.condition.concat(JoinedText.of(f.condition));
      if (f.output && f.output.text !== '') prev.output = prev.output.concat(JoinedText.of(f.output));
      if (f.desc) prev.desc = `${prev.desc} ${f.desc}`;
      if (f.tags) prev.tags = [...new Set([...prev.tags, ...f.tags])].sort();
      for (const ex of f.exceptions ?? []) {
        const existing = prev.exceptions.find((e) => e.name === ex.name);
        if (existing) {
          if (ex.fields) fail('Can not append exception fields to existing exception, only values', ex.ctx);
          if (ex.comps) fail('Can not append exception comps to existing exception, only values', ex.ctx);
          existing.values.push(...ex.values);
        } else {
          if (!ex.fields) fail('Rule exception must have fields property with a list of fields', ex.ctx);
          if (ex.values.length === 0) fail('Rule exception must have values property with a list of values', ex.ctx);
          validateException(ex, check);
          prev.exceptions.push(ex);
        }
      }
    } else {
      if (f.condition) {
        prev.condition = JoinedText.of(f.condition);
        prev.condCtx = f.condition.ctx;
      }
      if (f.output) {
        prev.output = JoinedText.of(f.output);
        prev.outputCtx = f.output.ctx;
      }
      if (f.desc !== undefined) prev.desc = f.desc;
      if (f.tags) prev.tags = f.tags;
      if (f.exceptions) {
        for (const ex of f.exceptions) validateException(ex, check);
        prev.exceptions = f.exceptions;
      }
      if (f.priority !== undefined) prev.priority = f.priority;
      if (f.enabled !== undefined) prev.enabled = f.enabled;
      if (f.warnEvttypes !== undefined) prev.warnEvttypes = f.warnEvttypes;
      if (f.skipIfUnknownFilter !== undefined) prev.skipIfUnknownFilter = f.skipIfUnknownFilter;
      if (f.capture !== undefined) prev.capture = f.capture;
      if (f.captureDuration !== undefined) prev.captureDuration = f.captureDuration;
    }
    prev.visibility = this.nextIndex++;
  }
}
