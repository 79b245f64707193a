// The emitter's map of rule cases (for falcoc explain) and its instrumented mode (for falcoc bench).
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint } from '../../../compiler/lint.ts';
import { buildPlan } from '../../../compiler/plan/build-plan.ts';
import { emitEvaluator, emitEvaluatorWithMap } from '../../../compiler/emit/emit-evaluator.ts';
import { CompiledRuleEngine } from '../../../runtime/engine/compiled-engine.ts';
import { BUNDLE_ABI, type BundleModule } from '../../../runtime/engine/bundle-abi.ts';
import { BundleLoadError } from '../../../runtime/engine/bundle-runtime.ts';

const dir = mkdtempSync(join(tmpdir(), 'falcoc-instrument-'));
const file = join(dir, 'r.yaml');
writeFileSync(
  file,
  `- macro: opened
  condition: evt.type in (open, openat) and evt.dir=<
- rule: A
  desc: a
  condition: opened and fd.name startswith /etc and proc.name != cat
  output: a %fd.name
  priority: WARNING
- rule: B
  desc: b
  condition: (opened and fd.name startswith /etc) or (evt.type=execve and evt.dir=< and proc.name=sh)
  output: b
  priority: NOTICE
`,
);
const plan = buildPlan(lint([file]).result.ruleset!);
const header = ['test'];

describe('emitter map and instrumented mode', () => {
  test('the map leaves the deployable text as it was and points at each case', () => {
    const m = emitEvaluatorWithMap(plan, { header });
    expect(m.text).toBe(emitEvaluator(plan, { header }));
    expect(emitEvaluatorWithMap(plan, { header, instrument: false }).text).toBe(m.text);
    expect(m.text).not.toMatch(/instrumented|clock|evals\[/);
    const lines = m.text.split('\n');
    // A in the open/openat evaluator; B there and in the execve one.
    expect(m.cases.map((c) => c.rule).sort()).toEqual([0, 1, 1]);
    for (const c of m.cases) {
      expect(lines.slice(c.line - 1, c.endLine).map((l) => l.trim())).toEqual(c.code.map((l) => l.trim()));
      expect(c.code[0]).toMatch(/^\/\/ [AB] \(r\.yaml:\d+\)$/);
    }
    // B runs in two evaluators (open/openat and execve).
    expect(new Set(m.cases.filter((c) => c.rule === 1).map((c) => c.fn)).size).toBe(2);
    expect([...m.declarations.values()]).toContain('rt.operand("fd.name", true)');
  });

  test('instrumented cases count evaluations and time themselves', () => {
    const m = emitEvaluatorWithMap(plan, { header, instrument: true });
    expect(m.text).toContain('export const instrumented = true;');
    expect(m.text).toContain('const clock = profile.now;');
    const lines = m.text.split('\n');
    for (const c of m.cases) {
      expect(lines.slice(c.line - 1, c.endLine).map((l) => l.trim())).toEqual(c.code.map((l) => l.trim()));
      expect(c.code).toContain(`  evals[${c.rule}]++;`);
      expect(c.code).toContain(`  spent[${c.rule}] += t1 - t0;`);
    }
  });

  test('an instrumented bundle is refused without a profile', () => {
    const mod: BundleModule = {
      abi: BUNDLE_ABI,
      instrumented: true,
      rules: [],
      create: () => ({ evaluate: () => 0, codes: [], ruleCodes: [], sources: new Map() }),
    };
    expect(() => new CompiledRuleEngine(mod)).toThrow(BundleLoadError);
    const profile = { now: () => 0, evaluations: new Float64Array(0), time: new Float64Array(0) };
    expect(() => new CompiledRuleEngine(mod, { profile })).not.toThrow();
  });
});
