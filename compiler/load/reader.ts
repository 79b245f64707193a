// Rules file → items, validated and decoded as Falco's rule reader does: the same item kinds,
// keys, scalar decoding, messages and context chain. Items are handed to `sink` one at a time
// because Falco interleaves reading and collecting: an error while collecting item N (say, an
// append to a list that does not exist yet) stops the file before item N+1 is read.
import { Context, LoadError, type Diagnostic, type ItemType, type WarningCode } from '../diagnostics.ts';
import { parseYamlDocuments, mapGet, mapKeys, type YMap, type YNode, type YScalar } from './yaml-tree.ts';
import type { SourceFile } from './source-file.ts';
import type { ExceptionEntry, ExceptionInfo, LoadItem, Priority, RuleFields, Semver, SourceText } from './items.ts';
import { PRIORITIES } from './items.ts';

export interface ReadHooks {
  sink(item: LoadItem): void;
  warn(d: Diagnostic): void;
}

const EXPECTED_KEYS: Record<string, readonly string[]> = {
  required_engine_version: ['required_engine_version'],
  required_plugin_versions: ['required_plugin_versions'],
  list: ['list', 'items', 'append', 'override'],
  macro: ['macro', 'condition', 'append', 'override'],
  rule: [
    'rule', 'condition', 'output', 'desc', 'priority', 'source', 'enabled', 'capture', 'capture_duration',
    'warn_evttypes', 'skip-if-unknown-filter', 'tags', 'exceptions', 'override', 'append',
  ],
};
const ITEM_KINDS = ['required_engine_version', 'required_plugin_versions', 'list', 'macro', 'rule'] as const;

const RULE_APPENDABLE = ['condition', 'output', 'desc', 'tags', 'exceptions'];
const RULE_REPLACEABLE = [
  'condition', 'output', 'desc', 'priority', 'capture', 'capture_duration', 'tags', 'exceptions', 'enabled',
  'warn_evttypes', 'skip-if-unknown-filter',
];

export const WARNING_APPEND =
  "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
const WARNING_ENABLED =
  "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').";
const ERROR_OVERRIDE_APPEND =
  "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
const LIST_NAME = /^[^()"'\s=,]+$/;
const MACRO_NAME = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const BOOL_TRUE = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'y', 'Y', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'n', 'N', 'off', 'Off', 'OFF']);

export function parsePriority(text: string): Priority | undefined {
  const t = text.toLowerCase();
  if (t === 'info') return 'Informational';
  return PRIORITIES.find((p) => p.toLowerCase() === t);
}

/** Falco's number for a priority (0 Emergency … 7 Debug, as syslog severities and the gRPC and
 * Prometheus APIs give it), case-insensitive, `info` too; undefined for an unknown name. */
export function priorityNumber(text: string): number | undefined {
  const p = parsePriority(text);
  return p === undefined ? undefined : PRIORITIES.indexOf(p);
}

export function parseSemver(text: string): Semver | undefined {
  const m = /^([0-9]+)\.([0-9]+)\.([0-9]+)/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/** Reads a file's parsed documents (see parseRulesFile); throws LoadError at the first error. */
export function readRulesDocuments(file: SourceFile, docs: readonly YNode[], hooks: ReadHooks): void {
  new Reader(file, hooks).read(docs);
}

/** Parses a file; a YAML syntax error is LOAD_ERR_YAML_PARSE at its position. */
export function parseRulesFile(file: SourceFile): YNode[] {
  const parsed = parseYamlDocuments(file.text);
  if ('error' in parsed) {
    const ctx = Context.file(file.name).child('value for', '', file.position(parsed.error.offset));
    throw new LoadError('LOAD_ERR_YAML_PARSE', parsed.error.message, ctx);
  }
  return parsed.docs;
}

class Reader {
  private readonly root: Context;

  constructor(private readonly file: SourceFile, private readonly hooks: ReadHooks) {
    this.root = Context.file(file.name);
  }

  private at(node: { start: number }) {
    return this.file.position(node.start);
  }

  private ctx(parent: Context, type: ItemType, name: string, node: { start: number }): Context {
    return parent.child(type, name, this.at(node));
  }

  private fail(message: string, ctx: Context, code: 'LOAD_ERR_YAML_VALIDATE' | 'LOAD_ERR_VALIDATE' = 'LOAD_ERR_YAML_VALIDATE'): never {
    throw new LoadError(code, message, ctx);
  }

  private warn(code: WarningCode, message: string, ctx: Context): void {
    this.hooks.warn(ctx.diagnostic('warning', code, message));
  }

  read(docs: readonly YNode[]): void {
    for (const doc of docs) {
      if (doc.kind === 'null') continue;
      if (doc.kind !== 'map' && doc.kind !== 'seq') this.fail('Rules content is not yaml', this.root);
      if (doc.kind !== 'seq') this.fail('Rules content is not yaml array of objects', this.root);
      for (const item of doc.items) if (item.kind !== 'null') this.item(item);
    }
  }

  // ---- generic decoders (messages as Falco's decode_val / decode_seq) ----

  private scalarNode(item: YMap, key: string, ctx: Context, optional: boolean): YScalar | undefined {
    const v = mapGet(item, key);
    if (v === undefined) {
      if (optional) return undefined;
      this.fail(`Item has no mapping for key '${key}'`, ctx);
    }
    if (v.kind === 'null') this.fail(`Mapping for key '${key}' is empty`, ctx);
    const vctx = this.ctx(ctx, 'value for', key, v);
    if (v.kind !== 'scalar') this.fail('Value is not a scalar value', vctx);
    if (v.value === '') this.fail('Value must be non-empty', vctx);
    return v;
  }

  private string(item: YMap, key: string, ctx: Context): string;
  private string(item: YMap, key: string, ctx: Context, optional: true): string | undefined;
  private string(item: YMap, key: string, ctx: Context, optional = false): string | undefined {
    return this.scalarNode(item, key, ctx, optional)?.value;
  }

  private bool(item: YMap, key: string, ctx: Context, optional = true): boolean | undefined {
    const v = this.scalarNode(item, key, ctx, optional);
    if (!v) return undefined;
    if (BOOL_TRUE.has(v.value)) return true;
    if (BOOL_FALSE.has(v.value)) return false;
    return this.fail("Can't decode YAML scalar value", this.ctx(ctx, 'value for', key, v));
  }

  private uint(item: YMap, key: string, ctx: Context): number | undefined {
    const v = this.scalarNode(item, key, ctx, true);
    if (!v) return undefined;
    if (!/^[0-9]+$/.test(v.value)) this.fail("Can't decode YAML scalar value", this.ctx(ctx, 'value for', key, v));
    return Number(v.value);
  }

  private sequence(item: YMap, key: string, ctx: Context, optional: boolean): string[] | undefined {
    const v = mapGet(item, key);
    if (v === undefined) {
      if (optional) return undefined;
      this.fail(`Item has no mapping for key '${key}'`, ctx);
    }
    const vctx = this.ctx(ctx, 'value for', key, v);
    if (v.kind !== 'seq') this.fail('Value is not a sequence', vctx);
    return v.items.map((e) => {
      if (e.kind !== 'scalar') this.fail('sequence value is not scalar', this.ctx(vctx, 'list item', '', e));
      return e.value;
    });
  }

  private sourceText(item: YMap, key: string, ctx: Context, type: ItemType): SourceText {
    const node = this.scalarNode(item, key, ctx, false)!;
    return { text: node.value, ctx: this.ctx(ctx, type, '', node), file: this.file, node };
  }

  /** `override:` → the keys to append and to replace, validated against what the kind allows. */
  private overrides(item: YMap, ctx: Context, appendable: readonly string[], replaceable: readonly string[]) {
    const append = new Set<string>();
    const replace = new Set<string>();
    const o = mapGet(item, 'override');
    if (o === undefined || o.kind !== 'map') return { append, replace };
    const octx = this.ctx(ctx, 'overrides', '', item);
    for (const p of o.pairs) {
      if (p.key.kind !== 'scalar') continue;
      const key = p.key.value;
      const op = p.value.kind === 'scalar' ? p.value.value : '';
      const canAppend = appendable.includes(key);
      const canReplace = replaceable.includes(key);
      const kctx = this.ctx(octx, 'overrides', key, p.key);
      if (op === 'append') {
        if (!canAppend) this.fail(`Key '${key}' cannot be appended to, use 'replace' instead`, kctx);
        append.add(key);
      } else if (op === 'replace') {
        if (!canReplace) this.fail(`Key '${key}' cannot be replaced`, kctx);
        replace.add(key);
      } else {
        const allowed = (canAppend ? 'append ' : '') + (canReplace ? 'replace ' : '');
        this.fail(`Invalid override operation for key '${key}': '${op}'. Allowed values are: ${allowed}`, this.ctx(octx, 'value for', key, p.value));
      }
    }
    return { append, replace };
  }

  // ---- items ----

  private item(item: YNode): void {
    if (item.kind !== 'map') this.fail('Unexpected element type. Each element should be a yaml associative array.', this.ctx(this.root, 'rules content item', '', item));
    const kind = ITEM_KINDS.find((k) => mapGet(item, k) !== undefined);
    if (!kind) {
      this.warn('LOAD_UNKNOWN_ITEM', 'Unknown top level item', this.ctx(this.root, 'rules content item', '', item));
      return;
    }
    const expected = EXPECTED_KEYS[kind]!;
    for (const { key, node } of mapKeys(item)) {
      if (!expected.includes(key)) {
        const name = mapGet(item, kind);
        const label = name?.kind === 'scalar' && kind !== 'required_engine_version' ? name.value : '';
        this.warn('LOAD_UNKNOWN_KEY', `Unknown key '${key}'. The key will be ignored.`, this.ctx(this.root, itemTypeOf(kind), label, node));
      }
    }
    switch (kind) {
      case 'required_engine_version':
        return this.engineVersion(item);
      case 'required_plugin_versions':
        return this.pluginVersions(item);
      case 'list':
        return this.list(item);
      case 'macro':
        return this.macro(item);
      case 'rule':
        return this.rule(item);
    }
  }

  private engineVersion(item: YMap): void {
    const ctx = this.ctx(this.root, 'required_engine_version', '', item);
    const text = this.string(item, 'required_engine_version', ctx);
    let version: Semver | undefined;
    // A bare number N means 0.N.0 (the pre-semver engine versions).
    if (/^[0-9]+$/.test(text)) version = { major: 0, minor: Number(text), patch: 0 };
    else version = parseSemver(text);
    if (!version) this.fail(`Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`, ctx);
    this.hooks.sink({ kind: 'required_engine_version', version, ctx });
  }

  private pluginVersions(item: YMap): void {
    const v = mapGet(item, 'required_plugin_versions')!;
    const ctx = this.ctx(this.root, 'required plugin versions', '', v);
    if (v.kind !== 'seq') this.fail('Value of required_plugin_versions must be a sequence', ctx);
    for (const entry of v.items) {
      const tmp = this.ctx(ctx, 'required plugin versions entry', '', entry);
      if (entry.kind !== 'map') this.fail('Plugin version must be a mapping', tmp);
      const name = this.string(entry, 'name', tmp);
      const pctx = this.ctx(ctx, 'required plugin versions entry', name, entry);
      const alternatives = [{ name, version: this.string(entry, 'version', pctx) }];
      const alts = mapGet(entry, 'alternatives');
      if (alts !== undefined) {
        if (alts.kind !== 'seq') this.fail('Value of plugin version alternatives must be a sequence', pctx);
        for (const alt of alts.items) {
          const actx = this.ctx(pctx, 'required plugin versions alternative', '', alt);
          if (alt.kind !== 'map') this.fail('Plugin version alternative must be a mapping', actx);
          const altName = this.string(alt, 'name', actx);
          const nctx = this.ctx(pctx, 'required plugin versions alternative', altName, alt);
          alternatives.push({ name: altName, version: this.string(alt, 'version', nctx) });
        }
      }
      this.hooks.sink({ kind: 'required_plugin_versions', alternatives, ctx: pctx });
    }
  }

  /** The item's name (its kind's key) and its context. */
  private named(item: YMap, kind: 'list' | 'macro' | 'rule'): { name: string; ctx: Context } {
    const name = this.string(item, kind, this.ctx(this.root, kind, '', item));
    return { name, ctx: this.ctx(this.root, kind, name, item) };
  }

  /** Legacy `append:` and `override:`, which may not be combined. */
  private updateKeys(item: YMap, ctx: Context, appendable: readonly string[], replaceable: readonly string[]) {
    const appendFlag = this.bool(item, 'append', ctx) ?? false;
    if (appendFlag) this.warn('LOAD_DEPRECATED_ITEM', WARNING_APPEND, ctx);
    const o = this.overrides(item, ctx, appendable, replaceable);
    const hasOverrides = o.append.size > 0 || o.replace.size > 0;
    if (appendFlag && hasOverrides) this.fail(ERROR_OVERRIDE_APPEND, ctx);
    return { appendFlag, hasOverrides, ...o };
  }

  private list(item: YMap): void {
    const { name, ctx } = this.named(item, 'list');
    if (!LIST_NAME.test(name)) {
      this.warn('LOAD_INVALID_LIST_NAME', `List has an invalid name. List names should match a regular expression: ([^()"'[:space:]=,]+)`, ctx);
    }
    const items = this.sequence(item, 'items', ctx, false)!;
    const u = this.updateKeys(item, ctx, ['items'], ['items']);
    const append = u.appendFlag || u.append.has('items');
    this.hooks.sink({ kind: 'list', action: append ? 'append' : 'define', name, items, ctx });
  }

  private macro(item: YMap): void {
    const { name, ctx } = this.named(item, 'macro');
    if (!MACRO_NAME.test(name)) {
      this.warn('LOAD_INVALID_MACRO_NAME', 'Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)', ctx);
    }
    const condition = this.sourceText(item, 'condition', ctx, 'macro condition');
    const u = this.updateKeys(item, ctx, ['condition'], ['condition']);
    const append = u.appendFlag || u.append.has('condition');
    this.hooks.sink({ kind: 'macro', action: append ? 'append' : 'define', name, condition, ctx });
  }

  private rule(item: YMap): void {
    const { name, ctx } = this.named(item, 'rule');
    const { appendFlag, hasOverrides, ...o } = this.updateKeys(item, ctx, RULE_APPENDABLE, RULE_REPLACEABLE);

    if (hasOverrides) return this.ruleOverrides(item, name, ctx, o.append, o.replace);
    if (appendFlag) {
      const fields: Partial<RuleFields> = {};
      if (mapGet(item, 'condition') !== undefined) fields.condition = this.sourceText(item, 'condition', ctx, 'rule condition');
      if (mapGet(item, 'exceptions') !== undefined) fields.exceptions = this.exceptions(item, ctx, true);
      this.hooks.sink({ kind: 'rule', action: 'append', name, source: this.updateSource(item, ctx), fields, ctx });
      return;
    }
    const has = (k: string) => mapGet(item, k) !== undefined;
    if (!has('condition') && !has('output') && !has('desc') && !has('priority')) {
      const enabled = this.bool(item, 'enabled', ctx, false)!;
      this.warn('LOAD_DEPRECATED_ITEM', WARNING_ENABLED, ctx);
      this.hooks.sink({ kind: 'rule', action: 'enable', name, enabled, ctx });
      return;
    }
    const condition = this.sourceText(item, 'condition', ctx, 'rule condition');
    const output = this.sourceText(item, 'output', ctx, 'rule output');
    output.text = output.text.trim();
    const desc = this.string(item, 'desc', ctx);
    const priority = this.priority(item, ctx);
    this.hooks.sink({
      kind: 'rule',
      action: 'define',
      name,
      ctx,
      condition,
      output,
      desc,
      priority,
      source: this.string(item, 'source', ctx, true) ?? 'syscall',
      enabled: this.bool(item, 'enabled', ctx) ?? true,
      warnEvttypes: this.bool(item, 'warn_evttypes', ctx) ?? true,
      skipIfUnknownFilter: this.bool(item, 'skip-if-unknown-filter', ctx) ?? false,
      capture: this.bool(item, 'capture', ctx) ?? false,
      captureDuration: this.uint(item, 'capture_duration', ctx) ?? 0,
      tags: this.tags(item, ctx) ?? [],
      exceptions: this.exceptions(item, ctx, false),
    });
  }

  private priority(item: YMap, ctx: Context): Priority {
    const node = this.scalarNode(item, 'priority', ctx, false)!;
    const p = parsePriority(node.value);
    if (!p) this.fail('Invalid priority', this.ctx(ctx, 'rule priority', '', node));
    return p;
  }

  private tags(item: YMap, ctx: Context): string[] | undefined {
    const tags = this.sequence(item, 'tags', ctx, true);
    return tags && [...new Set(tags)].sort();
  }

  /** An update item's `source`: empty or null means "the rule's own". */
  private updateSource(item: YMap, ctx: Context): string {
    const v = mapGet(item, 'source');
    if (v === undefined || v.kind === 'null') return '';
    if (v.kind !== 'scalar') this.fail('Value is not a scalar value', this.ctx(ctx, 'value for', 'source', v));
    return v.value;
  }

  private ruleOverrides(item: YMap, name: string, ctx: Context, append: Set<string>, replace: Set<string>): void {
    const defined = new Set([...RULE_APPENDABLE, ...RULE_REPLACEABLE].filter((k) => mapGet(item, k) !== undefined));
    const source = this.updateSource(item, ctx);
    const take = (ops: Set<string>, kind: 'append' | 'replace', key: string) => {
      if (!ops.has(key)) return false;
      if (!defined.has(key)) this.fail(`An ${kind} override for '${key}' was specified but '${key}' is not defined`, ctx);
      defined.delete(key);
      return true;
    };
    const collect = (ops: Set<string>, kind: 'append' | 'replace'): Partial<RuleFields> => {
      const f: Partial<RuleFields> = {};
      if (take(ops, kind, 'condition')) f.condition = this.sourceText(item, 'condition', ctx, 'rule condition');
      if (take(ops, kind, 'exceptions')) f.exceptions = this.exceptions(item, ctx, kind === 'append');
      if (take(ops, kind, 'output')) {
        f.output = this.sourceText(item, 'output', ctx, 'rule output');
        f.output.text = f.output.text.trim();
      }
      if (take(ops, kind, 'desc')) f.desc = this.string(item, 'desc', ctx);
      if (take(ops, kind, 'tags')) f.tags = this.tags(item, ctx) ?? [];
      if (take(ops, kind, 'priority')) f.priority = this.priority(item, ctx);
      if (take(ops, kind, 'enabled')) f.enabled = this.bool(item, 'enabled', ctx, false)!;
      if (take(ops, kind, 'warn_evttypes')) f.warnEvttypes = this.bool(item, 'warn_evttypes', ctx, false)!;
      if (take(ops, kind, 'skip-if-unknown-filter')) f.skipIfUnknownFilter = this.bool(item, 'skip-if-unknown-filter', ctx, false)!;
      if (take(ops, kind, 'capture')) f.capture = this.bool(item, 'capture', ctx, false)!;
      if (take(ops, kind, 'capture_duration')) f.captureDuration = this.uint(item, 'capture_duration', ctx)!;
      return f;
    };
    if (append.size > 0) this.hooks.sink({ kind: 'rule', action: 'append', name, source, fields: collect(append, 'append'), ctx });
    if (replace.size > 0) this.hooks.sink({ kind: 'rule', action: 'replace', name, source, fields: collect(replace, 'replace'), ctx });
    for (const key of defined) {
      this.fail(`Unexpected key '${key}': no corresponding entry under 'override' is defined.`, this.ctx(ctx, 'overrides', key, mapGet(item, key)!));
    }
  }

  // ---- exceptions ----

  private exceptionEntry(v: YNode, vctx: Context): ExceptionEntry {
    if (v.kind === 'scalar') {
      if (v.value === '') this.fail('Value must be non-empty', vctx);
      return { isList: false, item: v.value };
    }
    if (v.kind === 'seq') {
      return { isList: true, items: v.items.map((e) => this.exceptionEntry(e, this.ctx(vctx, 'exception', '', e))) };
    }
    // yaml-cpp: a null or a map is neither scalar nor sequence and decodes to nothing.
    return { isList: true, items: [] };
  }

  private exceptionKey(ex: YMap, key: string, ctx: Context, optional: boolean): ExceptionEntry | undefined {
    const v = mapGet(ex, key);
    if (v === undefined) {
      if (optional) return undefined;
      this.fail(`Item has no mapping for key '${key}'`, ctx);
    }
    return this.exceptionEntry(v, this.ctx(ctx, 'value for', key, v));
  }

  private exceptions(item: YMap, parent: Context, append: boolean): ExceptionInfo[] {
    const exs = mapGet(item, 'exceptions');
    if (exs === undefined || exs.kind === 'null') return [];
    const exsCtx = this.ctx(parent, 'exceptions', '', exs);
    if (exs.kind !== 'seq') this.fail('Rule exceptions must be a sequence', exsCtx);
    const out: ExceptionInfo[] = [];
    for (const ex of exs.items) {
      const tmp = this.ctx(exsCtx, 'exception', '', ex);
      if (ex.kind !== 'map') this.fail('Rule exception must be a mapping', tmp);
      const name = this.string(ex, 'name', tmp);
      const ctx = this.ctx(parent, 'exception', name, ex);
      if (out.some((e) => e.name === name)) {
        this.warn('LOAD_EXCEPTION_NAME_NOT_UNIQUE', `Multiple definitions of exception '${name}' in the same rule`, ctx);
      }
      const info: ExceptionInfo = { name, values: [], hasValues: false, ctx };
      const fields = this.exceptionKey(ex, 'fields', ctx, append);
      if (fields) info.fields = fields;
      const comps = this.exceptionKey(ex, 'comps', ctx, true);
      if (comps) info.comps = comps;
      const values = mapGet(ex, 'values');
      if (values !== undefined) {
        const vctx = this.ctx(ctx, 'exception values', '', values);
        if (values.kind !== 'seq') this.fail('Rule exception values must be a sequence', vctx);
        info.hasValues = true;
        info.values = values.items.map((v) => this.exceptionEntry(v, this.ctx(vctx, 'exception value', '', v)));
      } else if (append) {
        this.warn('LOAD_APPEND_NO_VALUES', 'Overriding/appending exception with no values', ctx);
      }
      out.push(info);
    }
    return out;
  }
}

function itemTypeOf(kind: (typeof ITEM_KINDS)[number]): ItemType {
  return kind === 'required_plugin_versions' ? 'required plugin versions' : kind;
}
