// Randomised differential testing on synthetic events. Real captures rarely carry the values
// where inlined checks and the reference operators could part ways (strings with NUL bytes,
// a rule's constant followed by a NUL, non-ASCII and invalid UTF-8 bytes, missing values), so
// here each event is made up: every field the random rules read gets a value of the shape its
// real extractor returns (harvested from a capture) or a mutation of it, mixed with the rules'
// own constants. The bundle's evaluator (through a runtime whose extractors read those values)
// and the interpreter must match the same rules, in both matching modes.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sharedDir } from '../../paths.ts';
import type { Constant, TypedExpr, TypedField, TypedOperand } from '../../../compiler/check/typed.ts';
import type { Ruleset } from '../../../compiler/resolve/ruleset.ts';
import { operandKey } from '../../../compiler/plan/keys.ts';
import { Interpreter, operand as interpretOperand, type FieldSource } from '../../../runtime/interpreter/evaluate.ts';
import { compileCheck } from '../../../runtime/operators/compare.ts';
import type { Extracted, Value } from '../../../runtime/operators/values.ts';
import { operandFromText } from '../../../runtime/engine/bundle-runtime.ts';
import { cString } from '../../../runtime/operators/strings.ts';
import type { BundleEvaluator, BundleRuntime } from '../../../runtime/engine/bundle-abi.ts';
import type { EngineSource, MatchedRule, RuleEngine } from '../../../runtime/engine/rule-engine.ts';
import { replayCapture } from '../../../runtime/engine/replay.ts';
import { SyscallFieldSource } from '../../../runtime/extract/registry.ts';
import { catalogFor, SYSCALL_SOURCE } from '../../../runtime/fields/catalog.ts';
import { EVENTS } from '../../../runtime/events/event-table.ts';
import { ASYNCEVENT_CODE, GENERIC_ENTER, GENERIC_EXIT } from '../../../runtime/events/event-index.ts';
import { buildAndLoad, compileSources, tempDir } from '../../runtime/engine/engine-pair.ts';
import { Random, randomRuleset, randomString } from './random-rules.ts';

const SEED = Number(process.env.FALCOC_FUZZ_SEEDS?.split(',')[0] ?? 99);
const EVENT_COUNT = 4000;
const catalog = catalogFor(SYSCALL_SOURCE)!;

/** Field values of one synthetic event, by operand text; evt.type & co. follow the event code. */
class SyntheticEvent implements FieldSource {
  code = 0;
  values = new Map<string, Extracted>();
  extract(f: TypedField): Extracted {
    const e = EVENTS[this.code]!;
    switch (f.field.name) {
      case 'evt.type':
        return e.name;
      case 'evt.dir':
        return e.dir === 'enter' ? '>' : '<';
      case 'syscall.type':
        return e.kind === 'syscall' ? e.name : undefined;
    }
    return this.values.get(operandKey(f));
  }
}

/** The bundle runtime, with extractors that read the synthetic event instead of system state. */
const syntheticRuntime: BundleRuntime = {
  operand(text, cut) {
    const o = operandFromText(text, catalog);
    const read = o.kind === 'field' ? (ctx: unknown) => (ctx as SyntheticEvent).extract(o) : (ctx: unknown) => interpretOperand(o, ctx as SyntheticEvent);
    // ABI 2: `cut` operands come cut at their first NUL, as the real runtime hands them over.
    if (!cut) return read;
    return (ctx) => {
      const v = read(ctx);
      return typeof v === 'string' ? cString(v) : v;
    };
  },
  check: compileCheck,
  ruleError: (e) => (e instanceof Error ? e : new Error(String(e))),
};

function fieldsOf(e: TypedExpr, out: Map<string, TypedField>): void {
  const visit = (o: TypedOperand): void => {
    if (o.kind === 'field') out.set(operandKey(o), o);
    else for (const a of o.args) if (a.kind === 'field' || a.kind === 'transformer') visit(a);
    else if (a.kind === 'arglist') for (const i of a.items) if (i.kind !== 'constant') visit(i);
  };
  if (e.kind === 'and' || e.kind === 'or') e.children.forEach((c) => fieldsOf(c, out));
  else if (e.kind === 'not') fieldsOf(e.child, out);
  else {
    visit(e.left);
    if (e.rhs) visit(e.rhs);
  }
}

function constantsOf(e: TypedExpr, out: Set<string>): void {
  if (e.kind === 'and' || e.kind === 'or') e.children.forEach((c) => constantsOf(c, out));
  else if (e.kind === 'not') constantsOf(e.child, out);
  else for (const v of e.values ?? []) if ((v as Constant).kind === 'bytes') out.add((v as { value: string }).value);
}

const out = tempDir('falcoc-synthetic-');
let ruleset: Ruleset;
let evaluator: BundleEvaluator;
const fields = new Map<string, TypedField>();
/** Per operand text, distinct values its real extractor returned on a capture. */
const harvested = new Map<string, Extracted[]>();
const constants = new Set<string>();

beforeAll(async () => {
  const { yaml } = randomRuleset(SEED, 250);
  const sources = [{ name: `synthetic-${SEED}.yaml`, text: yaml }];
  ruleset = compileSources(sources);
  const { module } = await buildAndLoad(ruleset, sources, out.dir, 'synthetic');
  evaluator = module.create(syntheticRuntime);
  for (const r of ruleset.rules) {
    fieldsOf(r.typed, fields);
    constantsOf(r.typed, constants);
  }
  const seen = new Map<string, Set<string>>();
  const harvest: RuleEngine = {
    wants: () => true,
    eventCodes: () => new Set(),
    evaluate(_code: number, src: EngineSource, _m: (r: MatchedRule) => void) {
      for (const [key, f] of fields) {
        const v = src.extract(f);
        const id = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? [...x] : x));
        let s = seen.get(key);
        if (!s) seen.set(key, (s = new Set()));
        if (s.size >= 24 || s.has(id)) continue;
        s.add(id);
        harvested.set(key, [...(harvested.get(key) ?? []), v]);
      }
      return 0;
    },
    alertFor: () => {
      throw new Error('no alerts');
    },
  };
  await replayCapture(join(sharedDir, 'upstream/captures/curl_google.scap'), {
    engine: harvest,
    hostname: 'h',
    fieldSource: (state, view) => new SyscallFieldSource({ state, view }),
    onAlert: () => {},
  });
});

/** A string near `s`: a rule constant, with NUL-separated tails, non-ASCII bytes, quotes… */
function mutateString(r: Random, s: string, pool: readonly string[]): string {
  const c = pool.length > 0 && r.chance(0.6) ? r.pick(pool) : s;
  switch (r.int(7)) {
    case 0:
      return c;
    case 1:
      return `${c}\x00${randomString(r, 'tail')}`;
    case 2:
      return `${randomString(r)}\x00${c}`;
    case 3:
      return `${c.slice(0, Math.max(0, c.length - 1))}\x00${c.slice(-1)}`;
    case 4:
      return randomString(r, c);
    case 5:
      return c.toUpperCase() + (r.chance(0.5) ? '\xff\xc3' : '');
    default:
      return r.chance(0.5) ? '' : `${c}${c}`;
  }
}

function mutate(r: Random, v: Extracted, pool: readonly string[]): Extracted {
  if (typeof v === 'string') return mutateString(r, v, pool);
  if (Array.isArray(v)) {
    const xs = (v as Value[]).map((x) => (typeof x === 'string' && r.chance(0.5) ? mutateString(r, x, pool) : x));
    if (xs.length > 0 && typeof xs[0] === 'string' && r.chance(0.3)) xs.push(mutateString(r, xs[0] as string, pool));
    return xs;
  }
  return v;
}

describe('random rulesets on synthetic events', () => {
  it(`seed ${SEED}: the interpreter and the compiled evaluator match the same rules`, () => {
    const r = new Random(SEED);
    const pool = [...constants];
    const codes = evaluator.codes.filter((c) => c !== GENERIC_ENTER && c !== GENERIC_EXIT && c !== ASYNCEVENT_CODE);
    const interpreters = ruleset.rules.map((rule) => new Interpreter(rule.typed));
    const byCode = new Map<number, number[]>();
    ruleset.rules.forEach((rule, i) => {
      if (rule.enabled) for (const c of rule.eventCodes ?? []) byCode.set(c, [...(byCode.get(c) ?? []), i]);
    });
    const active = Uint8Array.from(ruleset.rules.map((rule) => (rule.enabled ? 1 : 0)));
    const ev = new SyntheticEvent();
    const mismatches: string[] = [];
    let matches = 0;
    let withNul = 0;
    for (let n = 0; n < EVENT_COUNT && mismatches.length < 10; n++) {
      ev.code = r.pick(codes);
      ev.values.clear();
      for (const [key, samples] of harvested) {
        const v = r.chance(0.1) ? undefined : r.pick(samples);
        const value = r.chance(0.5) ? mutate(r, v, pool) : v;
        if (typeof value === 'string' && value.includes('\x00')) withNul++;
        ev.values.set(key, value);
      }
      const want = (byCode.get(ev.code) ?? []).filter((i) => interpreters[i]!.evaluate(ev));
      const got: number[] = [];
      evaluator.evaluate(ev.code, ev, active, true, (i) => void got.push(i));
      const first: number[] = [];
      evaluator.evaluate(ev.code, ev, active, false, (i) => void first.push(i));
      matches += want.length;
      if (got.join() !== want.join() || first.join() !== want.slice(0, 1).join()) {
        const show = (xs: number[]) => xs.map((i) => ruleset.rules[i]!.name).join(', ');
        const involved = [...new Set([...want, ...got])].filter((i) => want.includes(i) !== got.includes(i));
        mismatches.push(
          `${EVENTS[ev.code]!.name}(${ev.code}): interpreter [${show(want)}], compiled [${show(got)}], first [${show(first)}]\n` +
            involved.map((i) => `  ${ruleset.rules[i]!.name}: ${ruleset.rules[i]!.conditionSource}`).join('\n') +
            `\n  values: ${JSON.stringify(Object.fromEntries(ev.values), (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))}`,
        );
      }
    }
    expect(mismatches.join('\n')).toBe('');
    expect(harvested.size).toBeGreaterThan(50);
    expect(withNul).toBeGreaterThan(EVENT_COUNT);
    expect(matches).toBeGreaterThan(EVENT_COUNT);
  });
});
