// Compiled bundles against Falco and against the reference interpreter. The three upstream
// syscall rule files are built into a bundle (plan, emit, write, as `falcoc build` does) and
// loaded from the output folder (as hosts do); one replay of the oracle capture then runs, on every event, the
// interpreter (rule_matching=all) and the compiled engine (all, and first):
// - Falco parity: the compiled alerts are exactly those Falco 0.44.1 raised (131 first, 147 all);
// - differential: both engines match the same rules in the same order, with the same alerts.
// The other captures at hand get the differential check too. One replay serves all of it
// because the interpreter is the slow part (~4 s on the oracle capture).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sharedDir, upstreamSyscallFiles } from '../../paths.ts';
import { buildPlan } from '../../../compiler/plan/build-plan.ts';
import { writeBundle } from '../../../compiler/emit/bundle.ts';
import { extraOutputsOf, type ExtraOutputs } from '../../../runtime/engine/append-output.ts';
import type { Ruleset } from '../../../compiler/resolve/ruleset.ts';
import type { BundleModule } from '../../../runtime/engine/bundle-abi.ts';
import { loadBundle } from '../../../runtime/engine/load-bundle.ts';
import { loadEngineConfig } from '../../../runtime/config/engine-config.ts';
import { replaySession, settingsOf } from '../../../runtime/engine/replay-session.ts';
import { explainDifferences, parseLine } from './oracle-diff.ts';
import { compileSources, enginePair, replayPair, tempDir, type EnginePair } from './engine-pair.ts';

process.env.TZ = 'UTC'; // the oracle's text time prefix was written in UTC
process.env.FALCO_HOSTNAME = 'vm'; // and on a machine called vm

const oracle = join(sharedDir, 'oracle');
const mixed = join(oracle, 'mixed.scap.gz');
const otherCaptures = readdirSync(join(sharedDir, 'upstream/captures'))
  .filter((f) => /\.scap(\.gz)?$/.test(f))
  .sort()
  .map((f) => join(sharedDir, 'upstream/captures', f));

const out = tempDir('falcoc-bundle-parity-');
let ruleset: Ruleset;
let module: BundleModule;
let mixedPair: EnginePair;
let extras: ExtraOutputs;

beforeAll(async () => {
  // Falco's default falco.yaml appends container fields to every output: both engines get them.
  const { config } = loadEngineConfig({ overrides: ['json_output=true', 'json_include_output_property=true', 'json_include_tags_property=true'] });
  extras = extraOutputsOf(config.appendOutput);
  const sources = upstreamSyscallFiles.map((name) => ({ name, text: readFileSync(name, 'utf8') }));
  ruleset = compileSources(sources, { extraOutputs: extras.extraOutputs, extraOutputFields: extras.extraOutputFields });
  await writeBundle({ plan: buildPlan(ruleset), sources, outdir: out.dir });
  ({ module } = await loadBundle(out.dir));
  mixedPair = enginePair(ruleset, module, { compareAlerts: true, record: { settings: settingsOf(config), hostname: 'vm' } }, extras);
  const summary = await replayPair(mixed, mixedPair);
  expect(summary.error).toBeUndefined();
});
afterAll(() => out.remove());

function expectFalcoAlerts(expectedFile: string, actual: string[]): void {
  const expected = readFileSync(join(oracle, expectedFile), 'utf8').split('\n').filter((l) => l !== '');
  const diff = explainDifferences(expected.map(parseLine), actual.map(parseLine));
  expect(diff, diff).toBe('');
  expect(actual).toEqual(expected);
}

describe('Falco parity of the compiled upstream rules', () => {
  it('mixed.scap.gz, rule_matching=first (131 alerts)', () => {
    expect(mixedPair.firstAlerts).toHaveLength(131);
    expectFalcoAlerts('mixed.falco-alerts.jsonl', mixedPair.firstAlerts);
  });

  it('mixed.scap.gz, rule_matching=all (147 alerts)', () => {
    expect(mixedPair.allAlerts).toHaveLength(147);
    expectFalcoAlerts('mixed.falco-alerts-all.jsonl', mixedPair.allAlerts);
  });
});

describe('interpreter and compiled bundle agree on every event (upstream rules, rule_matching=all)', () => {
  it('mixed.scap.gz', () => {
    expect(mixedPair.mismatches.join('\n')).toBe('');
    expect(mixedPair.evaluated).toBeGreaterThan(100_000);
    expect(mixedPair.matches).toBe(147);
  });

  it.each(otherCaptures.map((c) => [basename(c), c]))('%s', async (_name, capture) => {
    const pair = enginePair(ruleset, module, { compareAlerts: true }, extras);
    const summary = await replayPair(capture, pair);
    expect(summary.error).toBeUndefined();
    expect(pair.mismatches.join('\n')).toBe('');
    expect(pair.evaluated).toBeGreaterThan(0);
  });
});

describe('falcoc replay --bundle', () => {
  it('prints what replaying the rules files prints', async () => {
    const capture = otherCaptures[0] ?? mixed;
    const run = async (o: { rules: string[] } | { bundle: string }) => {
      let text = '';
      const logs: string[] = [];
      const r = await replaySession({ capture, ...o, overrides: ['rule_matching=all', 'priority=debug'], write: (s) => void (text += s), log: (l) => void logs.push(l) });
      expect(r.exitCode).toBe(0);
      return { text, events: r.summary!.events, alerts: r.summary!.alerts };
    };
    const viaBundle = await run({ bundle: out.dir });
    expect(viaBundle).toEqual(await run({ rules: upstreamSyscallFiles }));
    expect(viaBundle.events).toBeGreaterThan(0);
  });
});
