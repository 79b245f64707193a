// plan → TypeScript source of one bundle module (see runtime/engine/bundle-abi.ts for the
// contract). Per group of event codes, one function runs that group's rule cases in load
// order; per plugin source, one function runs all the source's rules in load order, built with
// its operands on the first call of that source's factory (a host runs only the sources it has); each operand is extracted at most once per event (a lazy local), shared
// sub-expressions are memoised per event, sets and predicates are built once in create().
// Written with ts-morph's code writer (the `code-block-writer` package ts-morph is built on) so
// blocks and indentation stay well-formed; every string from the rules goes through literal.ts.
// Not ts-morph's Project: it loads the TypeScript compiler (~0.6 s), a third of the 2 s build
// budget, to print text we already hold. Tests parse the output with ts-morph instead.
import CodeBlockWriter from 'code-block-writer';
import type { TypedCheck, TypedOperand } from '../check/typed.ts';
import type { CompiledRule } from '../resolve/ruleset.ts';
import { EVENT_CODE_COUNT } from '../../runtime/events/event-index.ts';
import { eventName } from '../../runtime/events/event-index.ts';
import { BUNDLE_ABI, type BundleRule } from '../../runtime/engine/bundle-abi.ts';
import { checkSpecOf } from '../../runtime/interpreter/check-spec.ts';
import type { CheckSpec } from '../../runtime/operators/compare.ts';
import type { EvaluatorGroup, Plan, PlanExpr } from '../plan/plan.ts';
import { SYSCALL_SOURCE } from '../../runtime/fields/catalog.ts';
import { operandKey } from '../plan/keys.ts';
import { checkCode, prefixLiteral, specCode, type CheckDecls, type StartsWith } from './check-code.ts';
import { commentText, stringLiteral } from './literal.ts';
import { PRELUDE } from './prelude.ts';
import { cutSafe } from './cut-operands.ts';

export interface EmitOptions {
  /** First comment lines (compiler version, ruleset hash); must be deterministic. */
  header: string[];
  /**
   * A profiling build (`falcoc bench`): each rule case counts its evaluations and adds the time
   * its condition took to `rt.profile` (see RuleProfile in bundle-abi.ts). Never written by
   * `falcoc build`; without it the output is the deployable evaluator, unchanged.
   */
  instrument?: boolean;
}

/** One rule case as generated: which evaluator runs it and the lines that implement it. */
export interface EmittedCase {
  /** Index into Plan.rules (and the bundle's rule table). */
  rule: number;
  /** The evaluator's source: `syscall` for Plan.groups, else a plugin source of Plan.sources. */
  source: string;
  /**
   * Index into Plan.groups (syscall) or Plan.sources (plugin), and the name of that evaluator's
   * function (`g0`… for syscall groups, `e0`… for plugin sources).
   */
  group: number;
  fn: string;
  /** Empty for a plugin source. */
  codes: readonly number[];
  /** 1-based first and last line of the case in the generated text. */
  line: number;
  endLine: number;
  /** The case's lines, indented relative to its function body. */
  code: string[];
}

export interface EmittedEvaluator {
  text: string;
  /** Per group, its cases in evaluation order. */
  cases: EmittedCase[];
  /** Load-time declarations by name (`x3` → `rt.operand("proc.name")`, `S0` → `new Set(…)`). */
  declarations: ReadonlyMap<string, string>;
  /** Per group, its memo slots by name (`m0` → the structural key of the shared sub-expression). */
  memos: ReadonlyMap<string, string>[];
  /** The same per plugin source (Plan.sources order). */
  sourceMemos: ReadonlyMap<string, string>[];
}

/** Where a rule was defined, as the bundle reports it (file base name, no machine path). */
export function ruleLocation(r: CompiledRule): { file: string; line: number } {
  const loc = r.ctx.locations[r.ctx.locations.length - 1]!;
  return { file: loc.file.replace(/^.*[\\/]/, ''), line: loc.line };
}

export function bundleRules(plan: Plan): BundleRule[] {
  return plan.rules.map((r) => ({
    name: r.name,
    priority: r.priority,
    source: r.source,
    tags: [...r.tags],
    enabled: r.enabled,
    output: r.outputSource,
    ...ruleLocation(r),
  }));
}

/** Load-time declarations shared by all evaluators of the bundle, deduplicated by their code. */
class Declarations implements CheckDecls {
  readonly lines: string[] = [];
  /** Operand declarations of each plugin source, made in that source's factory. */
  readonly sourceLines = new Map<string, string[]>();
  readonly byName = new Map<string, string>();
  private readonly byCode = new Map<string, string>();
  private readonly operands = new Map<string, number>();
  /** Memo names handed out so far (bundle-wide numbering). */
  memoCount = 0;
  /** Slots of chunked groups, declared in create()'s closure: operands (r/v) and memos. */
  readonly slotVars = new Set<number>();
  /** Slots whose PrefixIndex row is such a closure variable (`q<slot>`). */
  readonly prefixVars = new Set<number>();
  readonly memoVars: string[] = [];

  /** The closure variables groups cache per-event values in. */
  slotDeclarations(): string[] {
    const out: string[] = [];
    for (const i of [...this.slotVars].sort((a, b) => a - b)) out.push(`let r${i} = false;`, `let v${i}: V;`);
    for (const i of [...this.prefixVars].sort((a, b) => a - b)) out.push(`let q${i} = -1;`);
    if (this.memoVars.length) out.push(`let ${this.memoVars.map((m) => `${m} = 0`).join(', ')};`);
    return out;
  }

  private declare(prefix: string, code: string): string {
    let name = this.byCode.get(code);
    if (!name) {
      name = `${prefix}${this.byCode.size}`;
      this.byCode.set(code, name);
      this.byName.set(name, code);
      this.lines.push(`const ${name} = ${code};`);
    }
    return name;
  }

  set(elements: string[]): string {
    return this.declare('S', `new Set<unknown>([${elements.join(', ')}])`);
  }

  prefixIndex(literals: string[]): string {
    return this.declare('T', `new PrefixIndex([${literals.map(stringLiteral).join(', ')}])`);
  }

  lengths(lengths: number[]): string {
    return this.declare('L', `lenSet([${lengths.join(', ')}])`);
  }

  predicate(spec: CheckSpec): string {
    return this.declare('p', `rt.check(${specCode(spec)})`);
  }

  /**
   * Slot number of an operand's extractor; `cut`: the one handing values over cut at the first
   * NUL. Numbered bundle-wide; a plugin source's operands are declared in its factory.
   */
  operand(o: TypedOperand, cut = false, source: string = SYSCALL_SOURCE): number {
    const text = operandKey(o);
    const key = `${source}\0${text}${cut ? '\0cut' : ''}`;
    let i = this.operands.get(key);
    if (i === undefined) {
      i = this.operands.size;
      this.operands.set(key, i);
      const call =
        source === SYSCALL_SOURCE
          ? `rt.operand(${stringLiteral(text)}${cut ? ', true' : ''})`
          : `rt.operand(${stringLiteral(text)}, ${cut}, ${stringLiteral(source)})`;
      this.byName.set(`x${i}`, call);
      if (source === SYSCALL_SOURCE) this.lines.push(`const x${i} = ${call};`);
      else {
        let lines = this.sourceLines.get(source);
        if (!lines) this.sourceLines.set(source, (lines = []));
        lines.push(`const x${i} = ${call};`);
      }
    }
    return i;
  }
}

/**
 * Code for one group's cases, reading each operand once per event through a cached slot and
 * memoising shared sub-expressions. The slots are locals of the group's function when its
 * cases fit one function (see GROUP_TOKENS), else variables of create()'s closure shared by the
 * group's chunk functions and reset by its entry function once per event.
 */
class GroupWriter {
  readonly slots = new Set<number>();
  /** Memo variable name → structural key of the shared sub-expression. */
  readonly memos = new Map<string, string>();
  private readonly memoByKey = new Map<string, string>();
  private memoCount = 0;

  /** Cut operands (by key) whose prefix tests go through a PrefixIndex: its name and literal order. */
  private readonly prefixIndexes = new Map<string, { name: string; at: Map<string, number> }>();
  /** Slots with a per-event PrefixIndex row (`q<slot>`). */
  readonly prefixSlots = new Set<number>();

  constructor(
    private readonly group: EvaluatorGroup,
    private readonly decls: Declarations,
    /** Memo names are numbered bundle-wide (they may be closure variables). */
    private readonly memoBase: number,
    /** The event source the group's operands are extracted from. */
    private readonly source: string,
  ) {
    const literals = new Map<string, Set<string>>();
    const visit = (e: PlanExpr): void => {
      if (e.kind === 'and' || e.kind === 'or') e.children.forEach(visit);
      else if (e.kind === 'not') visit(e.child);
      else if (e.kind === 'check') {
        const lit = prefixLiteral(e.check, checkSpecOf(e.check));
        if (lit === undefined) return;
        const key = operandKey(e.check.left);
        literals.set(key, (literals.get(key) ?? new Set()).add(lit));
      }
    };
    for (const c of group.cases) visit(c.expr);
    for (const [key, lits] of literals) {
      if (lits.size < PREFIX_INDEX_MIN) continue;
      const list = [...lits].sort();
      this.prefixIndexes.set(key, { name: decls.prefixIndex(list), at: new Map(list.map((l, k) => [l, k])) });
    }
  }

  /** The operand's slot number, marked as read by this group. */
  private slot(o: TypedOperand, cut = false): number {
    const i = this.decls.operand(o, cut, this.source);
    this.slots.add(i);
    return i;
  }

  private static readCode(i: number): string {
    return `(r${i} ? v${i} : ((r${i} = true), (v${i} = x${i}(ctx))))`;
  }

  private read(o: TypedOperand, cut = false): string {
    return GroupWriter.readCode(this.slot(o, cut));
  }

  private check(c: TypedCheck): string {
    const cut = cutSafe(c);
    const i = this.slot(c.left, cut);
    const left = GroupWriter.readCode(i);
    const index = cut ? this.prefixIndexes.get(operandKey(c.left)) : undefined;
    let startsWith: StartsWith | undefined;
    if (index) {
      this.prefixSlots.add(i);
      const row = `(q${i} >= 0 ? q${i} : (q${i} = ${index.name}.walk(${left})))`;
      startsWith = (literal) => `(${index.name}.a[${row} + ${index.at.get(literal)!}] === 1)`;
    }
    return checkCode(c, checkSpecOf(c), left, c.rhs ? this.read(c.rhs) : undefined, this.decls, cut, startsWith);
  }

  expr(e: PlanExpr): string {
    const code = this.plain(e);
    if (e.kind === 'const' || !this.group.shared.has(e.key)) return code;
    let m = this.memoByKey.get(e.key);
    if (m === undefined) {
      m = `m${this.memoBase + this.memoCount++}`;
      this.memoByKey.set(e.key, m);
      this.memos.set(m, e.key);
    }
    return `(${m} !== 0 ? ${m} === 1 : (${m} = ${code} ? 1 : 2) === 1)`;
  }

  private plain(e: PlanExpr): string {
    switch (e.kind) {
      case 'const':
        return String(e.value);
      case 'check':
        return this.check(e.check);
      case 'not':
        return `!${this.expr(e.child)}`;
      case 'and':
      case 'or':
        return `(${e.children.map((c) => this.expr(c)).join(e.kind === 'and' ? ' && ' : ' || ')})`;
    }
  }

  /** Local declarations of the per-event cache (a group in one function). */
  locals(): string[] {
    const out: string[] = [];
    for (const i of [...this.slots].sort((a, b) => a - b)) out.push(`let r${i} = false;`, `let v${i}: V;`);
    for (const i of [...this.prefixSlots].sort((a, b) => a - b)) out.push(`let q${i} = -1;`);
    for (const m of this.memos.keys()) out.push(`let ${m} = 0;`);
    return out;
  }

  /** The statements that start a new event for this group: its cached slots become stale. */
  resets(): string[] {
    const flags = [...this.slots].sort((a, b) => a - b).map((i) => `r${i}`);
    const out: string[] = [];
    if (flags.length) out.push(`${flags.join(' = ')} = false;`);
    if (this.prefixSlots.size) out.push(`${[...this.prefixSlots].sort((a, b) => a - b).map((i) => `q${i}`).join(' = ')} = -1;`);
    if (this.memos.size) out.push(`${[...this.memos.keys()].join(' = ')} = 0;`);
    return out;
  }
}

/**
 * One rule case. Instrumented, the time from the previous case's end to this condition's result
 * is charged to this rule: the first reader of a field or a shared sub-expression pays for it.
 * The `hit` callback runs off the clock.
 */
function caseLines(rule: number, cond: string, instrument: boolean): string[] {
  if (!instrument) return [`if (act[${rule}] === 1 && ${cond}) {`, `  n++;`, `  hit(${rule});`, `  if (!all) return n;`, '}'];
  return [
    `if (act[${rule}] === 1) {`,
    `  evals[${rule}]++;`,
    `  const ok = ${cond};`,
    '  const t1 = clock();',
    `  spent[${rule}] += t1 - t0;`,
    '  t0 = t1;',
    '  if (ok) {',
    '    n++;',
    `    hit(${rule});`,
    '    t0 = clock();',
    '    if (!all) return n;',
    '  }',
    '}',
  ];
}

/**
 * Tokens of cases per function. V8 stops optimising functions past 60 KB of bytecode
 * (--max-optimized-bytecode-size). This emitter's code compiles to 2.82–2.86 bytes of bytecode
 * per token, parentheses not counted (measured on the upstream rules' openat group with and
 * without prefix indexes; characters were a worse proxy, 0.80–0.90 bytes each in the bundled
 * form, as names and literals vary in length), so 19,000 tokens stay under ~55 KB. Past the
 * limit a function stays unoptimised and runs ~30% slower. A group that fits keeps its
 * per-event cache in locals, the fastest form; a larger one is split into chunk functions
 * sharing the cache through create()'s closure, whose per-event reset and context-slot
 * accesses cost ~10–25% on that group.
 */
const GROUP_TOKENS = 19_000;
/**
 * Chunk functions read and write their cache in context slots, whose bytecodes are longer:
 * 3.84 bytes per token measured on a split openat group, so chunks hold 14,000 tokens.
 */
const CHUNK_TOKENS = 14_000;

/** JavaScript tokens, roughly (literals, names, numbers, operators), parentheses left out. */
const TOKEN = /"(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$]*|\d+n?|[=!]==|>=|<=|&&|\|\||[^\s\w()]/g;
const tokenCount = (text: string): number => text.match(TOKEN)?.length ?? 0;

/**
 * An operand tested against this many distinct prefixes in one group gets a PrefixIndex: one
 * trie walk per event instead of a startsWith per literal (~10 ns each on a fresh path).
 */
const PREFIX_INDEX_MIN = 4;

function writeGroup(
  w: CodeBlockWriter, name: string, g: EvaluatorGroup, plan: Plan, decls: Declarations, instrument: boolean, source: string = SYSCALL_SOURCE,
): { cases: string[][]; memos: Map<string, string> } {
  const gw = new GroupWriter(g, decls, decls.memoCount, source);
  const caseText = () =>
    g.cases.map((c) => {
      const r = plan.rules[c.rule]!;
      const at = ruleLocation(r);
      return [`// ${commentText(r.name)} (${commentText(at.file)}:${at.line})`, `rule = ${c.rule};`, ...caseLines(c.rule, gw.expr(c.expr), instrument)];
    });
  const cases = caseText();
  decls.memoCount += gw.memos.size;
  const chunks: string[][] = [[]];
  const tokens = cases.map((lines) => lines.reduce((n, l) => n + tokenCount(l), 0));
  const budget = tokens.reduce((a, b) => a + b, 0) <= GROUP_TOKENS ? Infinity : CHUNK_TOKENS;
  let size = 0;
  for (const [i, lines] of cases.entries()) {
    if (size > 0 && size + tokens[i]! > budget) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1]!.push(...lines);
    size += tokens[i]!;
  }
  if (chunks.length > 1) {
    for (const i of gw.slots) decls.slotVars.add(i);
    for (const i of gw.prefixSlots) decls.prefixVars.add(i);
    decls.memoVars.push(...gw.memos.keys());
  }
  const codes =
    source === SYSCALL_SOURCE ? `// ${commentText(g.codes.map((c) => `${eventName(c)}(${c})`).join(' '))}` : `// source ${commentText(source)}: every event`;
  const signature = '(ctx: unknown, act: Uint8Array, all: boolean, hit: (rule: number) => void): number';
  const writeCases = (body: string[], prologue: string[]) => {
    w.writeLine('let n = 0;');
    w.writeLine('let rule = -1;');
    for (const l of prologue) w.writeLine(l);
    if (instrument) w.writeLine('let t0 = clock();');
    w.write('try').block(() => {
      for (const l of body) w.writeLine(l);
    });
    w.write(' catch (e)').block(() => {
      w.writeLine('throw rt.ruleError(e, rule);');
    });
    w.writeLine('return n;');
  };
  if (chunks.length === 1) {
    w.writeLine(codes);
    // The common case: one function, the per-event cache in its locals (registers, once optimised).
    w.write(`function ${name}${signature}`).block(() => writeCases(chunks[0]!, gw.locals()));
  } else {
    w.writeLine(codes);
    w.write(`function ${name}${signature}`).block(() => {
      for (const l of gw.resets()) w.writeLine(l);
      w.writeLine(`let n = ${name}_0(ctx, act, all, hit);`);
      for (let i = 1; i < chunks.length; i++) {
        w.writeLine('if (n !== 0 && !all) return n;');
        w.writeLine(`n += ${name}_${i}(ctx, act, all, hit);`);
      }
      w.writeLine('return n;');
    });
    chunks.forEach((body, i) => {
      w.writeLine(codes);
      w.write(`function ${name}_${i}${signature}`).block(() => writeCases(body, []));
    });
  }
  return { cases, memos: gw.memos };
}

/** The bundle module's TypeScript source. Deterministic: same plan, same text. */
export function emitEvaluator(plan: Plan, opts: EmitOptions): string {
  return emitEvaluatorWithMap(plan, opts).text;
}

/**
 * Finds each case's lines in the final text: a case starts at the comment before its `rule = N;`
 * line. `g<N>` functions are syscall groups, `e<N>` plugin sources' evaluators.
 */
function locateCases(text: string, groupCases: string[][][], sourceCases: string[][][], plan: Plan): EmittedCase[] {
  const lines = text.split('\n');
  const out: EmittedCase[] = [];
  let kind = '';
  let group = -1;
  let k = 0;
  lines.forEach((l, i) => {
    const fn = /^\s*function ([ge])(\d+)(?:_\d+)?\(/.exec(l);
    if (fn) {
      // A group's cases may span its chunk functions (g3_0, g3_1 …), in order.
      if (Number(fn[2]) !== group || fn[1] !== kind) k = 0;
      kind = fn[1]!;
      group = Number(fn[2]);
      return;
    }
    if (group < 0 || !/^\s*rule = \d+;$/.test(l)) return;
    const syscall = kind === 'g';
    const code = (syscall ? groupCases : sourceCases)[group]![k++]!;
    const g = syscall ? plan.groups[group]! : plan.sources[group]!.group;
    const source = syscall ? SYSCALL_SOURCE : plan.sources[group]!.source;
    out.push({ rule: g.cases[k - 1]!.rule, source, group, fn: `${kind}${group}`, codes: g.codes, line: i, endLine: i + code.length - 1, code });
  });
  return out;
}

/** The module's source, and where each rule's code sits in it (for `falcoc explain`). */
export function emitEvaluatorWithMap(plan: Plan, opts: EmitOptions): EmittedEvaluator {
  const instrument = opts.instrument === true;
  const rules = bundleRules(plan);
  const decls = new Declarations();
  // Group functions are written first (into their own writer) so the declarations they need are known.
  const groupsWriter = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  const names = plan.groups.map((_, i) => `g${i}`);
  const written = plan.groups.map((g, i) => writeGroup(groupsWriter, names[i]!, g, plan, decls, instrument));
  // Each plugin source's evaluator `e<i>`, written into its own writer: it goes into the source's factory.
  const sourceWriters = plan.sources.map(() => new CodeBlockWriter({ indentNumberOfSpaces: 2 }));
  const sourcesWritten = plan.sources.map((sp, i) => writeGroup(sourceWriters[i]!, `e${i}`, sp.group, plan, decls, instrument, sp.source));
  const w = new CodeBlockWriter({ indentNumberOfSpaces: 2 });
  {
    for (const l of opts.header) w.writeLine(`// ${commentText(l)}`);
    w.writeLine(`export const abi = ${BUNDLE_ABI};`);
    if (instrument) w.writeLine('export const instrumented = true;');
    w.write('export const rules = [').indent(() => {
      for (const r of rules) {
        w.writeLine(
          `{ name: ${stringLiteral(r.name)}, priority: ${stringLiteral(r.priority)}, source: ${stringLiteral(r.source)}, ` +
            `tags: [${r.tags.map(stringLiteral).join(', ')}], enabled: ${r.enabled}, output: ${stringLiteral(r.output)}, ` +
            `file: ${stringLiteral(r.file)}, line: ${r.line} },`,
        );
      }
    });
    w.writeLine('];');
    w.write(PRELUDE);
    const profileType = instrument ? '; profile?: { now(): number; evaluations: Float64Array; time: Float64Array }' : '';
    w.write(`export function create(rt: { operand(text: string, cut?: boolean, source?: string): (ctx: unknown) => V; check(spec: unknown): P; ruleError(e: unknown, rule: number): Error${profileType} })`).block(() => {
      if (instrument) {
        w.writeLine('const profile = rt.profile;');
        w.writeLine('if (profile === undefined) throw new Error("an instrumented bundle (falcoc bench) needs rt.profile");');
        w.writeLine('const clock = profile.now;');
        w.writeLine('const evals = profile.evaluations;');
        w.writeLine('const spent = profile.time;');
      }
      for (const l of decls.lines) w.writeLine(l);
      for (const l of decls.slotDeclarations()) w.writeLine(l);
      for (const line of groupsWriter.toString().split('\n')) if (line) w.writeLine(line);
      w.writeLine(`const table: (((ctx: unknown, act: Uint8Array, all: boolean, hit: (rule: number) => void) => number) | undefined)[] = new Array(${EVENT_CODE_COUNT}).fill(undefined);`);
      plan.groups.forEach((g, i) => w.writeLine(`for (const c of [${g.codes.join(', ')}]) table[c] = ${names[i]};`));
      // Plugin sources: a factory each, called by the host that runs the source (operands resolve then).
      plan.sources.forEach((sp, i) => {
        w.writeLine(`// source ${commentText(sp.source)}: ${sp.group.cases.length} rule case(s), in load order`);
        w.write(`function src${i}(): { evaluate(ctx: unknown, act: Uint8Array, all: boolean, hit: (rule: number) => void): number }`).block(() => {
          for (const l of decls.sourceLines.get(sp.source) ?? []) w.writeLine(l);
          for (const line of sourceWriters[i]!.toString().split('\n')) if (line) w.writeLine(line);
          w.writeLine(`return { evaluate: e${i} };`);
        });
      });
      w.write('return').block(() => {
        w.writeLine(`codes: [${plan.groups.flatMap((g) => g.codes).sort((a, b) => a - b).join(', ')}],`);
        w.writeLine(`ruleCodes: [${plan.codesByRule.map((cs) => `[${cs.join(', ')}]`).join(', ')}],`);
        w.writeLine(`sources: new Map([${plan.sources.map((sp, i) => `[${stringLiteral(sp.source)}, src${i}]`).join(', ')}]),`);
        w.write('evaluate(code: number, ctx: unknown, act: Uint8Array, all: boolean, hit: (rule: number) => void): number').block(() => {
          w.writeLine('const g = table[code];');
          w.writeLine('return g === undefined ? 0 : g(ctx, act, all, hit);');
        });

      });
      w.writeLine(';');
    });
  }
  const text = w.toString();
  return {
    text,
    cases: locateCases(text, written.map((g) => g.cases), sourcesWritten.map((g) => g.cases), plan),
    declarations: decls.byName,
    memos: written.map((g) => g.memos),
    sourceMemos: sourcesWritten.map((g) => g.memos),
  };
}
