// rule-loader.yaml: loading rules files (only the syscall source; plugins only as configured).
import { loadRules, type LoadResult } from '../compile.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { printCondition } from '../parse/print.ts';
import { SYSCALL_SOURCE } from '../../runtime/fields/catalog.ts';
import { expect, json, runCase, type CaseResult } from './outcome.ts';
import { Interpreter } from '../../runtime/interpreter/evaluate.ts';
import { mapFieldSource } from './field-values.ts';

interface Detail {
  code?: string;
  item_type?: string;
  item_name?: string;
  message?: string;
}

interface RuleExpect {
  condition?: string;
  condition_compiled?: string;
  output?: string;
  output_compiled?: string;
  output_compiled_not_contains?: string;
  desc?: string;
  priority?: string;
  capture?: boolean;
  capture_duration?: number;
  extra_output_fields?: Record<string, string>;
}

interface LoaderCase {
  id: string;
  files: string[];
  config?: {
    extra_output?: { format: string; source?: string; tags?: string[]; rule?: string }[];
    extra_output_fields?: { key: string; format: string; source?: string; tags?: string[]; rule?: string }[];
    loaded_plugins?: { name: string; version: string }[];
  };
  expect: {
    ok?: boolean;
    errors?: string[];
    warnings?: string[];
    absent_warnings?: string[];
    no_warnings?: boolean;
    error_count?: number;
    warning_count?: number;
    error_details?: Detail[];
    warning_details?: Detail[];
    schema_validation?: 'ok' | 'failed';
    enabled_rule_count?: number;
    rules?: Record<string, RuleExpect>;
    lists?: Record<string, { items_compiled?: string[]; lists?: string[] }>;
    described?: { rules?: number; macros?: number; lists?: number };
    compiled_counts?: { rules?: number; macros?: number; lists?: number };
    rules_present?: string[];
    rules_absent?: string[];
    eval?: { rule: string; fields: Record<string, unknown>; match: boolean }[];
    plugin_requirements?: 'satisfied' | 'unsatisfied';
  };
}

function matches(d: Diagnostic, want: Detail): boolean {
  return (
    (want.code === undefined || d.code === want.code) &&
    (want.item_type === undefined || d.item?.type === want.item_type) &&
    (want.item_name === undefined || d.item?.name === want.item_name) &&
    (want.message === undefined || d.message === want.message)
  );
}

function show(ds: Diagnostic[]): string {
  return json(ds.map((d) => `${d.code} [${d.item?.type ?? ''} '${d.item?.name ?? ''}'] ${d.message}`));
}

export function load(c: LoaderCase): LoadResult {
  const cfg = c.config ?? {};
  return loadRules(
    c.files.map((text, i) => ({ name: `rules-${i}.yaml`, text })),
    {
      sources: [SYSCALL_SOURCE],
      plugins: cfg.loaded_plugins ?? [],
      ...(cfg.extra_output ? { extraOutputs: cfg.extra_output } : {}),
      ...(cfg.extra_output_fields ? { extraOutputFields: cfg.extra_output_fields } : {}),
    },
  );
}

export function runLoaderCase(c: LoaderCase): CaseResult {
  return runCase(c.id, () => {
    const r = load(c);
    const e = c.expect;
    const errors = r.files.flatMap((f) => f.errors);
    const warnings = r.files.flatMap((f) => f.warnings);
    const filesOk = r.files.length === c.files.length && errors.length === 0;
    if (e.ok !== undefined) expect(filesOk === e.ok, `load ${filesOk ? 'succeeded' : 'failed'}: errors ${show(errors)}`);
    for (const s of e.errors ?? []) expect(errors.some((d) => d.message.includes(s)), `no error containing "${s}" in ${show(errors)}`);
    for (const s of e.warnings ?? []) expect(warnings.some((d) => d.message.includes(s)), `no warning containing "${s}" in ${show(warnings)}`);
    for (const s of e.absent_warnings ?? []) expect(!warnings.some((d) => d.message.includes(s)), `unexpected warning "${s}" in ${show(warnings)}`);
    if (e.no_warnings) expect(warnings.length === 0, `unexpected warnings ${show(warnings)}`);
    if (e.error_count !== undefined) expect(errors.length === e.error_count, `${errors.length} errors ${show(errors)}`);
    if (e.warning_count !== undefined) expect(warnings.length === e.warning_count, `${warnings.length} warnings ${show(warnings)}`);
    for (const d of e.error_details ?? []) expect(errors.some((x) => matches(x, d)), `no error like ${json(d)} in ${show(errors)}`);
    for (const d of e.warning_details ?? []) expect(warnings.some((x) => matches(x, d)), `no warning like ${json(d)} in ${show(warnings)}`);
    if (e.schema_validation) {
      const status = r.files.some((f) => f.schemaValidation === 'failed') ? 'failed' : 'ok';
      const problems = r.files.flatMap((f) => f.schemaProblems);
      expect(status === e.schema_validation, `schema validation ${status} ${json(problems)}`);
    }
    const rules = r.ruleset?.rules ?? [];
    if (e.enabled_rule_count !== undefined) {
      const n = rules.filter((x) => x.enabled).length;
      expect(n === e.enabled_rule_count, `${n} enabled rules, expected ${e.enabled_rule_count}`);
    }
    for (const [name, want] of Object.entries(e.rules ?? {})) {
      const rule = rules.find((x) => x.name === name);
      expect(rule !== undefined, `rule '${name}' not loaded`);
      const got = rule!;
      const eq = (what: string, a: unknown, b: unknown) => expect(a === undefined || json(a) === json(b), `${name}: ${what} ${json(b)}, expected ${json(a)}`);
      eq('condition', want.condition, got.conditionSource);
      eq('condition_compiled', want.condition_compiled, printCondition(got.ast));
      eq('output', want.output, got.outputSource);
      eq('output_compiled', want.output_compiled, got.output);
      if (want.output_compiled_not_contains !== undefined) {
        expect(!got.output.includes(want.output_compiled_not_contains), `${name}: output contains "${want.output_compiled_not_contains}"`);
      }
      eq('desc', want.desc, got.desc);
      eq('priority', want.priority, got.priority);
      eq('capture', want.capture, got.capture);
      eq('capture_duration', want.capture_duration, got.captureDuration);
      if (want.extra_output_fields) {
        eq('extra_output_fields', want.extra_output_fields, Object.fromEntries(got.extraOutputFields.map((f) => [f.key, f.format])));
      }
    }
    for (const [name, want] of Object.entries(e.lists ?? {})) {
      const list = r.ruleset?.lists.find((l) => l.name === name);
      expect(list !== undefined, `list '${name}' not loaded`);
      if (want.items_compiled) expect(json(list!.items) === json(want.items_compiled), `list ${name}: items ${json(list!.items)}`);
      if (want.lists) expect(json(list!.lists) === json(want.lists), `list ${name}: lists ${json(list!.lists)}`);
    }
    for (const counts of [e.described, e.compiled_counts]) {
      if (!counts) continue;
      const have = { rules: rules.length, macros: r.ruleset?.macros.length ?? 0, lists: r.ruleset?.lists.length ?? 0 };
      for (const k of ['rules', 'macros', 'lists'] as const) {
        if (counts[k] !== undefined) expect(have[k] === counts[k], `${have[k]} ${k}, expected ${counts[k]}`);
      }
    }
    for (const n of e.rules_present ?? []) expect(rules.some((x) => x.name === n), `rule '${n}' missing`);
    for (const n of e.rules_absent ?? []) expect(!rules.some((x) => x.name === n), `rule '${n}' present`);
    if (e.plugin_requirements) {
      const satisfied = filesOk && !r.pluginRequirementError;
      expect(satisfied === (e.plugin_requirements === 'satisfied'), `requirements ${satisfied ? 'satisfied' : `unsatisfied: ${r.pluginRequirementError?.message}`}`);
    }
    for (const ev of e.eval ?? []) {
      const rule = rules.find((x) => x.name === ev.rule);
      expect(rule !== undefined, `eval: rule '${ev.rule}' not loaded`);
      const got = new Interpreter(rule!.typed).evaluate(mapFieldSource(ev.fields));
      expect(got === ev.match, `eval: rule '${ev.rule}' ${got ? 'matches' : 'does not match'} ${json(ev.fields)}`);
    }
  });
}
