// Randomised differential testing: seeded random rulesets (conditions over the grammar, every
// operator, modifiers, transformers, val(), ancestor and both-endpoint fields, folding event-type
// checks, macros, lists and exceptions, with hostile strings) are built into one bundle each and
// run, event by event, through the reference interpreter and the compiled bundle on the real
// events of the captures. Any event where they match different rules (or a different first
// rule) fails the test with the seed, the event and the conditions of the rules involved.
// FALCOC_FUZZ_SEEDS=1,2,3 (and FALCOC_FUZZ_RULES=n) explore further seeds locally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basename, join } from 'node:path';
import { sharedDir } from '../../paths.ts';
import { buildAndLoad, compileSources, enginePair, tempDir, type EnginePair } from '../../runtime/engine/engine-pair.ts';
import type { Ruleset } from '../../../compiler/resolve/ruleset.ts';
import type { BundleModule } from '../../../runtime/engine/bundle-abi.ts';
import type { EngineSource, MatchedRule, RuleEngine } from '../../../runtime/engine/rule-engine.ts';
import { replayCapture } from '../../../runtime/engine/replay.ts';
import { SyscallFieldSource } from '../../../runtime/extract/registry.ts';
import { randomRuleset } from './random-rules.ts';

const captures = [join(sharedDir, 'upstream/captures/curl_google.scap'), join(sharedDir, 'oracle/mixed.scap.gz')];
const seeds = (process.env.FALCOC_FUZZ_SEEDS ?? '20240601').split(',').map(Number);
const RULES = Number(process.env.FALCOC_FUZZ_RULES ?? 450);

const out = tempDir('falcoc-random-');
afterAll(() => out.remove());

/** Per event code: the first 120 events, then one in 1500 (the oracle capture has 420k events). */
function sampler(): (code: number) => boolean {
  const seen = new Map<number, number>();
  return (code) => {
    const n = (seen.get(code) ?? 0) + 1;
    seen.set(code, n);
    return n <= 120 || n % 1500 === 0;
  };
}

/** Runs several pairs on the same events: one replay (decoding, state) serves every seed. */
class Fanout implements RuleEngine {
  constructor(readonly pairs: readonly EnginePair[]) {}
  wants(code: number): boolean {
    return this.pairs.some((p) => p.wants(code));
  }
  eventCodes(): Set<number> {
    return new Set(this.pairs.flatMap((p) => [...p.eventCodes()]));
  }
  evaluate(code: number, src: EngineSource, onMatch: (r: MatchedRule) => void): number {
    let n = 0;
    for (const p of this.pairs) if (p.wants(code)) n += p.evaluate(code, src, onMatch);
    return n;
  }
  alertFor(): never {
    throw new Error('the pairs compare alerts themselves');
  }
}

interface Seeded {
  seed: number;
  conditions: Map<string, string>;
  ruleset: Ruleset;
  module: BundleModule;
  evaluated: number;
  matched: Set<string>;
}

const built: Seeded[] = [];

beforeAll(async () => {
  for (const seed of seeds) {
    const { yaml, conditions } = randomRuleset(seed, RULES);
    const sources = [{ name: `random-${seed}.yaml`, text: yaml }];
    const ruleset = compileSources(sources);
    expect(ruleset.rules.length).toBe(RULES);
    const { module } = await buildAndLoad(ruleset, sources, out.dir, `random-${seed}`);
    built.push({ seed, conditions, ruleset, module, evaluated: 0, matched: new Set() });
  }
});

describe('random rulesets: interpreter and compiled bundle agree on real events', () => {
  it.each(captures.map((c) => [basename(c), c]))('%s', async (_name, capture) => {
    const pairs = built.map((b) => enginePair(b.ruleset, b.module, { sample: sampler() }));
    const summary = await replayCapture(capture, {
      engine: new Fanout(pairs),
      hostname: 'host',
      fieldSource: (state, view) => new SyscallFieldSource({ state, view }),
      onAlert: () => {},
    });
    expect(summary.error).toBeUndefined();
    pairs.forEach((pair, i) => {
      const b = built[i]!;
      if (pair.mismatches.length > 0) {
        const involved = new Set([...pair.mismatches.join('\n').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string));
        const conds = [...involved].filter((n) => b.conditions.has(n)).map((n) => `  ${JSON.stringify(n)}: ${b.conditions.get(n)}`);
        expect.fail(`seed ${b.seed}, ${capture}:\n${pair.mismatches.join('\n')}\nconditions:\n${conds.join('\n')}`);
      }
      b.evaluated += pair.evaluated;
      for (const name of pair.matchesByRule.keys()) b.matched.add(name);
    });
  });

  it('the random rules are meaningful: many events, rules that match and rules that do not', () => {
    for (const b of built) {
      expect(b.evaluated).toBeGreaterThan(3000);
      expect(b.matched.size).toBeGreaterThan(RULES * 0.2);
      expect(b.matched.size).toBeLessThan(RULES);
    }
  });
});
