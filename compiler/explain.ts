// `falcoc explain`: one rule as each stage sees it. The resolved condition (lists, macros and
// exceptions expanded, in Falco's printed form), the event types it can match, and per evaluator
// group the condition specialised for those events (constant folding, evaluation order) with the
// generated lines that run it. From rules files every stage is available; from a bundle only what
// the build wrote: the manifest and the generated .evaluator.ts beside it.
import type { Expr } from './parse/ast.ts';
import { printCondition } from './parse/print.ts';
import type { CompiledRule, Ruleset } from './resolve/ruleset.ts';
import type { Plan, PlanExpr } from './plan/plan.ts';
import { emitEvaluatorWithMap, ruleLocation, type EmittedEvaluator } from './emit/emit-evaluator.ts';
import { evaluatorHeader, rulesetHash } from './emit/bundle.ts';
import { buildPlan } from './plan/build-plan.ts';
import { lint, type LintReport } from './lint.ts';
import type { BundleManifest } from './emit/manifest.ts';
import { listRules } from './report/rules-list.ts';
import { nearest } from './check/suggest.ts';
import { eventName } from '../runtime/events/event-index.ts';

export interface ExplainedGroup {
  /** The evaluator function in the generated module (`g0`… syscall groups, `e0`… plugin sources). */
  function: string;
  event_types: string[];
  event_codes: number[];
  /** The rule's condition for these event types after constant folding, in evaluation order (rules files only). */
  condition?: string;
  /** 1-based lines of the rule's case in the generated `.evaluator.ts`. */
  line: number;
  end_line: number;
  code: string[];
  /** What the names the code uses stand for: operands (x), sets (S), predicates (p), memos (m). */
  names: Record<string, string>;
}

export interface Explanation {
  name: string;
  priority: string;
  source: string;
  enabled: boolean;
  tags: string[];
  file: string;
  line: number;
  /** The condition as written (appends joined); rules files only. */
  condition_source?: string;
  /** After lists, macros and exceptions, printed as Falco prints `condition_compiled`; rules files only. */
  condition?: string;
  event_types: string[];
  /** The generated module the lines refer to (`rules.evaluator.ts`, or what `falcoc build` would write). */
  evaluator_file: string;
  groups: ExplainedGroup[];
  notes: string[];
}

export type ExplainOutcome = { ok: true; explanation: Explanation } | { ok: false; suggestions: string[] };

// ── condition layout ────────────────────────────────────────────────────────────────────────

type Doc = { op: 'and' | 'or'; children: Doc[] } | { op: 'not'; child: Doc } | { op: 'text'; text: string };

function exprDoc(e: Expr): Doc {
  if (e.kind === 'and' || e.kind === 'or') return { op: e.kind, children: e.children.map(exprDoc) };
  if (e.kind === 'not') return { op: 'not', child: exprDoc(e.child) };
  return { op: 'text', text: printCondition(e) };
}

function planDoc(e: PlanExpr): Doc {
  switch (e.kind) {
    case 'and':
    case 'or':
      return { op: e.kind, children: e.children.map(planDoc) };
    case 'not':
      return { op: 'not', child: planDoc(e.child) };
    case 'check':
      return { op: 'text', text: printCondition(e.check.node) };
    case 'const':
      return { op: 'text', text: e.value ? 'always true' : 'always false' };
  }
}

/** Falco's one-line form. */
function flat(d: Doc): string {
  if (d.op === 'text') return d.text;
  if (d.op === 'not') return `not ${flat(d.child)}`;
  return `(${d.children.map(flat).join(` ${d.op} `)})`;
}

/** One line when it fits, else one operand per line with its `and`/`or` leading. */
function layout(d: Doc, depth: number, width: number, top: boolean): string[] {
  const one = flat(d);
  if (depth * 2 + one.length <= width || d.op === 'text') return [top && (d.op === 'and' || d.op === 'or') ? one.slice(1, -1) : one];
  if (d.op === 'not') {
    const inner = layout(d.child, depth, width, false);
    return [`not ${inner[0]}`, ...inner.slice(1)];
  }
  const lines: string[] = [];
  d.children.forEach((c, i) => {
    const sub = layout(c, depth + (top ? 0 : 1), width, false);
    lines.push(i === 0 ? sub[0]! : `${d.op} ${sub[0]}`, ...sub.slice(1));
  });
  return top ? lines : wrap(lines);
}

/** A nested group: its operands indented one step between `(` and `)` lines. */
function wrap(lines: string[]): string[] {
  return ['(', ...lines.map((l) => `  ${l}`), ')'];
}

/** A condition laid out for reading (the JSON output keeps Falco's one-line form). */
export function conditionLines(e: Expr | PlanExpr, width = 100): string[] {
  const d = 'cost' in e ? planDoc(e) : exprDoc(e);
  return layout(d, 0, width, true);
}

/** Falco's one-line printed form of a specialised condition. */
export function printPlanExpr(e: PlanExpr): string {
  return flat(planDoc(e));
}

// ── names used by generated code ───────────────────────────────────────────────────────────

function namesUsed(code: readonly string[], declarations: ReadonlyMap<string, string>, memos: ReadonlyMap<string, string> | undefined): Record<string, string> {
  const used = new Set<string>();
  for (const l of code) {
    if (l.trimStart().startsWith('//')) continue;
    for (const m of l.matchAll(/\b([xSpm]\d+)\b/g)) used.add(m[1]!);
  }
  const rank = (n: string) => 'xSpm'.indexOf(n[0]!);
  const order = (a: string, b: string) => rank(a) - rank(b) || Number(a.slice(1)) - Number(b.slice(1));
  const out: Record<string, string> = {};
  for (const n of [...used].sort(order)) {
    if (n[0] === 'm') out[n] = memos?.get(n) !== undefined ? `memo of ${memos.get(n)} (shared with other rules, computed once per event)` : 'memo of a sub-expression shared with other rules, computed once per event';
    else {
      const d = declarations.get(n);
      if (d !== undefined) out[n] = d;
    }
  }
  return out;
}

function findByKey(e: PlanExpr, key: string): PlanExpr | undefined {
  if (e.key === key) return e;
  if (e.kind === 'and' || e.kind === 'or') {
    for (const c of e.children) {
      const f = findByKey(c, key);
      if (f) return f;
    }
  } else if (e.kind === 'not') return findByKey(e.child, key);
  return undefined;
}

/** Memo names → the shared sub-expression in Falco's printed form. */
function printedMemos(memos: ReadonlyMap<string, string> | undefined, exprs: readonly PlanExpr[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [m, key] of memos ?? []) {
    let found: PlanExpr | undefined;
    for (const e of exprs) if ((found = findByKey(e, key))) break;
    out.set(m, found ? printPlanExpr(found) : key);
  }
  return out;
}

// ── from rules files ───────────────────────────────────────────────────────────────────────

function eventTypesOf(r: CompiledRule): string[] {
  return listRules([r], true)[0]!.eventTypes;
}

const codeNames = (codes: readonly number[]) => [...new Set(codes.map(eventName))];

/** Explains `name` from a loaded ruleset, its plan and the evaluator emitted from that plan. */
export function explainFromRules(ruleset: Ruleset, plan: Plan, emitted: EmittedEvaluator, name: string, evaluatorFile: string): ExplainOutcome {
  const rule = ruleset.rules.find((r) => r.name === name);
  if (!rule) return { ok: false, suggestions: nearest(name, ruleset.rules.map((r) => r.name)) };
  const at = ruleLocation(rule);
  const notes: string[] = [];
  const index = plan.rules.indexOf(rule);
  const groups: ExplainedGroup[] = [];
  if (index < 0) notes.push(`the ${rule.source} rule is not in the plan`);
  else {
    for (const c of emitted.cases.filter((x) => x.rule === index)) {
      const syscall = c.source === plan.source;
      const g = syscall ? plan.groups[c.group]! : plan.sources[c.group]!.group;
      const memos = syscall ? emitted.memos[c.group] : emitted.sourceMemos[c.group];
      const rc = g.cases.find((x) => x.rule === index)!;
      groups.push({
        function: c.fn,
        event_types: codeNames(c.codes),
        event_codes: [...c.codes],
        condition: printPlanExpr(rc.expr),
        line: c.line,
        end_line: c.endLine,
        code: c.code,
        names: namesUsed(c.code, emitted.declarations, printedMemos(memos, g.cases.map((x) => x.expr))),
      });
    }
    if (groups.length === 0) {
      notes.push(rule.source === plan.source ? 'no evaluator runs this rule: its condition is false for every event type it names' : `no evaluator runs this rule: its condition is false for every ${rule.source} event`);
    }
  }
  if (!rule.enabled) notes.push('disabled in the rules files: compiled, but inactive unless falco.yaml `rules:` enables it');
  return {
    ok: true,
    explanation: {
      name: rule.name,
      priority: rule.priority,
      source: rule.source,
      enabled: rule.enabled,
      tags: [...rule.tags],
      ...at,
      condition_source: rule.conditionSource,
      condition: printCondition(rule.ast),
      event_types: eventTypesOf(rule),
      evaluator_file: evaluatorFile,
      groups,
      notes,
    },
  };
}

/** The rule's condition layouts for the text output (rules files only). */
export interface ExplainLayouts {
  condition?: string[];
  groups?: (string[] | undefined)[];
}

export function layoutsFromRules(ruleset: Ruleset, plan: Plan, e: Explanation): ExplainLayouts {
  const rule = ruleset.rules.find((r) => r.name === e.name)!;
  const index = plan.rules.indexOf(rule);
  return {
    condition: conditionLines(rule.ast),
    groups: e.groups.map((g) => {
      const at = Number(g.function.slice(1));
      const group = g.function.startsWith('e') ? plan.sources[at]?.group : plan.groups[at];
      const rc = group?.cases.find((x) => x.rule === index);
      return rc ? conditionLines(rc.expr) : undefined;
    }),
  };
}

// ── from a bundle ──────────────────────────────────────────────────────────────────────────

interface ParsedEvaluator {
  declarations: Map<string, string>;
  cases: { rule: number; fn: string; codes: number[]; line: number; code: string[] }[];
}

/** Reads back what the emitter wrote: group functions, their code comments, rule cases, declarations. */
export function parseEvaluator(text: string): ParsedEvaluator {
  const lines = text.split('\n');
  const declarations = new Map<string, string>();
  const cases: ParsedEvaluator['cases'] = [];
  let fn = '';
  let codes: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    // Plugin sources' operands and evaluators sit one level deeper, in their factory.
    const decl = /^ {2}(?: {2})?const ([xSp]\d+) = (.*);$/.exec(l);
    if (decl) {
      declarations.set(decl[1]!, decl[2]!);
      continue;
    }
    const f = /^ {2}(?: {2})?function ([ge]\d+)(?:_\d+)?\(/.exec(l);
    if (f) {
      fn = f[1]!;
      codes = [...(lines[i - 1] ?? '').matchAll(/\((\d+)\)/g)].map((m) => Number(m[1]));
      continue;
    }
    const r = /^(\s*)rule = (\d+);$/.exec(l);
    if (!r || !fn || i === 0) continue;
    const indent = r[1]!;
    const code: string[] = [];
    for (let j = i - 1; j < lines.length; j++) {
      const x = lines[j]!;
      code.push(x.startsWith(indent) ? x.slice(indent.length) : x.trimStart());
      if (j > i && x === `${indent}}`) break;
    }
    cases.push({ rule: Number(r[2]), fn, codes, line: i, code });
  }
  return { declarations, cases };
}

/** Explains `name` from a bundle's manifest and its generated `.evaluator.ts` (when beside it). */
export function explainFromBundle(manifest: BundleManifest, evaluatorText: string | undefined, name: string, evaluatorFile: string): ExplainOutcome {
  const index = manifest.rules.findIndex((r) => r.name === name);
  if (index < 0) return { ok: false, suggestions: nearest(name, manifest.rules.map((r) => r.name)) };
  const r = manifest.rules[index]!;
  const notes = ['a bundle carries no conditions: explain with -r <rules…> for the resolved and specialised conditions'];
  const groups: ExplainedGroup[] = [];
  if (evaluatorText === undefined) notes.push(`${evaluatorFile} is not beside the manifest, so the generated code cannot be shown`);
  else {
    const parsed = parseEvaluator(evaluatorText);
    for (const c of parsed.cases.filter((x) => x.rule === index)) {
      groups.push({
        function: c.fn,
        event_types: codeNames(c.codes),
        event_codes: c.codes,
        line: c.line,
        end_line: c.line + c.code.length - 1,
        code: c.code,
        names: namesUsed(c.code, parsed.declarations, undefined),
      });
    }
  }
  if (!r.enabled) notes.push('disabled in the rules files: compiled, but inactive unless falco.yaml `rules:` enables it');
  return {
    ok: true,
    explanation: {
      name: r.name,
      priority: r.priority,
      source: r.source,
      enabled: r.enabled,
      tags: [...r.tags],
      file: r.file,
      line: r.line,
      event_types: r.event_types,
      evaluator_file: evaluatorFile,
      groups,
      notes,
    },
  };
}

// ── text output ────────────────────────────────────────────────────────────────────────────

export function formatExplainText(e: Explanation, layouts: ExplainLayouts = {}): string {
  const out: string[] = [];
  const indent = (ls: readonly string[], n = 4) => ls.map((l) => ' '.repeat(n) + l);
  out.push(`${e.name}  (${e.file}:${e.line})`);
  out.push(`  priority: ${e.priority}   source: ${e.source}${e.enabled ? '' : '   (disabled)'}`);
  out.push(`  tags: ${e.tags.length ? e.tags.join(', ') : '-'}`);
  if (e.condition !== undefined) {
    out.push('', '  condition (lists, macros and exceptions resolved):');
    out.push(...indent(layouts.condition ?? [e.condition]));
  }
  const plugin = e.source !== 'syscall';
  if (plugin) out.push('', `  event types: none (a plugin source: its evaluator sees every ${e.source} event)`);
  else out.push('', `  event types: ${e.event_types.length ? e.event_types.join(' ') : 'none (never matches)'}`);
  e.groups.forEach((g, i) => {
    if (plugin) out.push('', `  evaluator ${g.function}, for every ${e.source} event (all the source's rules, in load order):`);
    else out.push('', `  evaluator ${g.function}, for ${g.event_types.join(' ')} (event codes ${g.event_codes.join(' ')}):`);
    if (g.condition !== undefined) {
      out.push(plugin ? '    condition (checks in evaluation order):' : '    condition for these events (event-type checks folded, checks in evaluation order):');
      out.push(...indent(layouts.groups?.[i] ?? [g.condition], 6));
    }
    out.push(`    code (${e.evaluator_file}:${g.line}-${g.end_line}):`);
    out.push(...indent(g.code, 6));
    const names = Object.entries(g.names);
    if (names.length) {
      out.push('    where:');
      for (const [n, d] of names) out.push(`      ${n} = ${d}`);
    }
  });
  if (e.groups.length === 0 && e.notes.length === 0) out.push('', '  no generated code');
  if (e.notes.length) out.push('', ...e.notes.map((n) => `  note: ${n}`));
  return out.join('\n');
}

// ── entry points ───────────────────────────────────────────────────────────────────────────

export interface ExplainResult {
  report: LintReport;
  outcome?: ExplainOutcome;
  layouts?: ExplainLayouts;
}

/**
 * Loads the rules as `falcoc build` does and explains `name`. Line numbers refer to the
 * `<evaluatorName>.evaluator.ts` that `falcoc build` would write for these files.
 */
export function explainRule(paths: readonly string[], name: string, opts: { maxFileBytes?: number; evaluatorName?: string } = {}): ExplainResult {
  const report = lint(paths, opts.maxFileBytes ? { maxFileBytes: opts.maxFileBytes } : {});
  const ruleset = report.result.ruleset;
  if (!ruleset || report.errors > 0) return { report };
  const plan = buildPlan(ruleset);
  const sources = [...report.sources].map(([n, text]) => ({ name: n, text }));
  const emitted = emitEvaluatorWithMap(plan, { header: evaluatorHeader(rulesetHash(sources)) });
  const outcome = explainFromRules(ruleset, plan, emitted, name, `${opts.evaluatorName ?? 'rules'}.evaluator.ts`);
  return { report, outcome, ...(outcome.ok ? { layouts: layoutsFromRules(ruleset, plan, outcome.explanation) } : {}) };
}
