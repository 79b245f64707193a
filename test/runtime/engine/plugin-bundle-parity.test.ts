// Plugin sources in a compiled bundle against the interpreter. The four upstream plugin rule
// files are built into one bundle with the three syscall files (as `falcoc build` does) and
// loaded from the output folder (as hosts do); every plugin event at hand (test/fixtures and the
// shared event samples) then goes through PluginRuleEngine and CompiledPluginEngine, and the full
// JSON alert lines must be identical, with rule_matching first and all, a minimum priority and
// a `rules:` selection. Also: the manifest lists the sources and each rule's source, and bundles
// of the previous ABI are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sharedDir, upstreamPluginFiles, upstreamSyscallFiles } from '../../paths.ts';
import { buildPlan } from '../../../compiler/plan/build-plan.ts';
import { writeBundle, type BundleOutput } from '../../../compiler/emit/bundle.ts';
import type { Ruleset } from '../../../compiler/resolve/ruleset.ts';
import type { BundleModule } from '../../../runtime/engine/bundle-abi.ts';
import { loadBundle } from '../../../runtime/engine/load-bundle.ts';
import { BundleLoadError } from '../../../runtime/engine/bundle-runtime.ts';
import { CompiledPluginEngine, CompiledRuleEngine } from '../../../runtime/engine/compiled-engine.ts';
import { compileSources, tempDir } from './engine-pair.ts';
import { extrasFor, pluginPair } from './plugin-pair.ts';

const fixtures = join(repoRoot, 'test/fixtures/plugin-events');
const samples = join(sharedDir, 'plugin-sources/events');
const SOURCES = ['k8s_audit', 'aws_cloudtrail', 'okta', 'github'];

/** Every event file at hand for a source. */
function inputsOf(source: string): string[] {
  return [join(fixtures, source), join(fixtures, `${source}-benign`), join(samples, source)].filter(existsSync);
}

const out = tempDir('falcoc-plugin-bundle-');
let ruleset: Ruleset;
let module: BundleModule;
let output: BundleOutput;

beforeAll(async () => {
  const files = [...upstreamSyscallFiles, ...upstreamPluginFiles];
  const sources = files.map((name) => ({ name, text: readFileSync(name, 'utf8') }));
  const extras = extrasFor();
  ruleset = compileSources(sources, { extraOutputs: extras.extraOutputs, extraOutputFields: extras.extraOutputFields });
  output = await writeBundle({ plan: buildPlan(ruleset), sources, outdir: out.dir });
  ({ module } = await loadBundle(out.dir));
});
afterAll(() => out.remove());

describe('plugin sources compiled into the bundle', () => {
  for (const source of SOURCES) {
    it(`${source}: the same alerts as the interpreter, rule_matching first and all`, () => {
      for (const matching of ['first', 'all']) {
        const r = pluginPair(ruleset, module, source, inputsOf(source), [`rule_matching=${matching}`]);
        expect(r.events).toBeGreaterThan(0);
        expect(r.interpreted.length, `${source} ${matching}: the events raise alerts`).toBeGreaterThan(0);
        expect(r.compiled).toEqual(r.interpreted);
      }
    });
  }

  it('the same alerts under a minimum priority and a rules: selection', () => {
    const config = join(out.dir, 'falco.yaml');
    writeFileSync(config, ['rules:', '  - disable:', '      rule: Attach/Exec Pod', '  - disable:', '      tag: network', ''].join('\n'));
    let alerts = 0;
    for (const source of SOURCES) {
      const all = pluginPair(ruleset, module, source, inputsOf(source), ['rule_matching=all']);
      for (const [overrides, file] of [[['priority=warning', 'rule_matching=all']], [['rule_matching=all'], config]] as [string[], string?][]) {
        const r = pluginPair(ruleset, module, source, inputsOf(source), overrides, file);
        expect(r.compiled).toEqual(r.interpreted);
        expect(r.interpreted.length).toBeLessThanOrEqual(all.interpreted.length);
        alerts += all.interpreted.length - r.interpreted.length;
      }
    }
    expect(alerts).toBeGreaterThan(0); // the settings did remove alerts
  });

  it('the manifest lists the sources and every rule with its source', () => {
    const m = output.manifest;
    expect(m.source).toBe('syscall');
    expect(m.sources).toEqual(['syscall', ...SOURCES]);
    expect(m.rules.map((r) => [r.name, r.source])).toEqual(ruleset.rules.map((r) => [r.name, r.source]));
    const k8s = m.rules.filter((r) => r.source === 'k8s_audit');
    expect(k8s.length).toBe(ruleset.rules.filter((r) => r.source === 'k8s_audit').length);
    expect(k8s.map((r) => r.name)).toContain('Attach/Exec Pod');
    expect(k8s.every((r) => r.event_types.length === 0 && r.file === 'k8s_audit_rules.yaml')).toBe(true);
    expect(m.source_fields['k8s_audit']).toContain('ka.verb');
    expect(m.source_fields['aws_cloudtrail']).toContain('ct.name');
    expect(m.fields.some((f) => f.startsWith('ka.'))).toBe(false);
    // The bundle's rule table is the manifest's, and create() offers one evaluator per plugin source.
    expect(module.rules.map((r) => r.source)).toEqual(m.rules.map((r) => r.source));
  });

  it('the syscall engine ignores plugin rules, and a plugin engine the syscall ones', () => {
    const syscall = new CompiledRuleEngine(module, { ruleMatching: 'all' });
    expect(syscall.rules.filter((r) => r !== undefined).length).toBe(ruleset.rules.filter((r) => r.source === 'syscall' && r.enabled).length);
    const k8s = new CompiledPluginEngine(module, 'k8s_audit');
    expect(k8s.rules.map((r) => r.alert.source)).toEqual(k8s.rules.map(() => 'k8s_audit'));
    expect(new CompiledPluginEngine(module, 'json').rules).toEqual([]);
  });

  it('refuses a bundle of ABI 2 with the rebuild message', async () => {
    const old = tempDir('falcoc-abi2-');
    try {
      const file = join(old.dir, 'rules.bundle.mjs');
      const text = readFileSync(output.bundleFile, 'utf8');
      expect(text).toMatch(/^var abi = 3;$/m);
      writeFileSync(file, text.replace(/^var abi = 3;$/m, 'var abi = 2;'));
      await expect(loadBundle(file)).rejects.toThrow(/built for runtime ABI 2, this runtime speaks ABI 3: rebuild it/);
      // And by its manifest, before any bundle code runs.
      copyFileSync(output.bundleFile, join(old.dir, 'rules.bundle.mjs'));
      const manifest = JSON.parse(readFileSync(output.manifestFile, 'utf8')) as { abi: number };
      writeFileSync(join(old.dir, 'rules.manifest.json'), JSON.stringify({ ...manifest, abi: 2 }));
      await expect(loadBundle(old.dir)).rejects.toThrow(/built for runtime ABI 2, this runtime speaks ABI 3: rebuild it/);
      expect(() => new CompiledPluginEngine({ ...module, abi: 2 }, 'k8s_audit')).toThrow(BundleLoadError);
      expect(() => new CompiledPluginEngine({ ...module, abi: 2 }, 'k8s_audit')).toThrow(/rebuild it/);
    } finally {
      old.remove();
    }
  });
});
