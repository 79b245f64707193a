// Determinism: the same rules give byte-identical output (bundle, source map, manifest and
// generated TypeScript), whatever folder the rules are read from and the bundle is written to,
// so bundles can be hashed, cached and signed.
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { upstreamSyscallFiles } from '../../paths.ts';
import { buildRules } from '../../../compiler/build.ts';
import { buildPlan } from '../../../compiler/plan/build-plan.ts';
import { emitEvaluator } from '../../../compiler/emit/emit-evaluator.ts';
import { compileSources, tempDir } from '../../runtime/engine/engine-pair.ts';
import { randomRuleset } from './random-rules.ts';

const tmp = tempDir('falcoc-determinism-');
afterAll(() => tmp.remove());

describe('falcoc build is deterministic', () => {
  it('the upstream rules, built twice from different folders into different folders', async () => {
    // Same base names, another folder: only base names may reach the output.
    const copies = join(tmp.dir, 'elsewhere/rules');
    mkdirSync(copies, { recursive: true });
    const copied = upstreamSyscallFiles.map((f) => {
      const to = join(copies, basename(f));
      copyFileSync(f, to);
      return to;
    });
    const a = await buildRules(upstreamSyscallFiles, { outdir: join(tmp.dir, 'a') });
    const b = await buildRules(copied, { outdir: join(tmp.dir, 'b/deeper/out') });
    expect(a.report.errors).toBe(0);
    const files = readdirSync(join(tmp.dir, 'a')).sort();
    expect(files).toEqual(['rules.bundle.mjs', 'rules.bundle.mjs.map', 'rules.evaluator.ts', 'rules.manifest.json']);
    expect(readdirSync(join(tmp.dir, 'b/deeper/out')).sort()).toEqual(files);
    for (const f of files) {
      const x = readFileSync(join(tmp.dir, 'a', f));
      const y = readFileSync(join(tmp.dir, 'b/deeper/out', f));
      expect(x.equals(y), `${f} differs between the two builds`).toBe(true);
      expect(x.toString('utf8')).not.toContain(tmp.dir);
    }
  });

  it('random rulesets: the same plan and text from two separate loads', () => {
    for (const seed of [1]) {
      const { yaml } = randomRuleset(seed, 40);
      const emit = () => emitEvaluator(buildPlan(compileSources([{ name: 'r.yaml', text: yaml }])), { header: ['h'] });
      expect(emit()).toBe(emit());
    }
  });
});
