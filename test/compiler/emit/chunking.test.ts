// A group too large for one function (V8 would never optimise it) is split into chunk
// functions sharing one per-event cache; the split must not change which rules match, their
// order, or `first` matching across chunks.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../paths.ts';
import { buildAndLoad, compileSources, enginePair, replayPair, tempDir } from '../../runtime/engine/engine-pair.ts';

const out = tempDir('falcoc-chunks-');
afterAll(() => out.remove());

// 400 openat rules that share fields and a macro: far past one function's budget. A few match
// real events of the capture, early and late in load order, so `first` crosses chunks.
function bigRuleset(): string {
  const rules: string[] = ['- macro: opened\n  condition: (evt.type in (open, openat) and fd.typechar = f and fd.num >= 0)\n'];
  for (let i = 0; i < 400; i++) {
    const hit = i === 7 || i === 391 ? `fd.name startswith /etc` : `fd.name = /nonexistent/file-${i}`;
    rules.push(
      `- rule: r${i}\n  desc: d\n  condition: opened and ${hit} and proc.name != not-${i} and not fd.directory in (/x${i}, /y${i})\n` +
        `  output: r${i} %fd.name %proc.name\n  priority: WARNING\n`,
    );
  }
  return rules.join('');
}

describe('chunked evaluator groups', () => {
  it('splits the openat group and still matches exactly what the interpreter matches', async () => {
    const sources = [{ name: 'big.yaml', text: bigRuleset() }];
    const ruleset = compileSources(sources);
    const built = await buildAndLoad(ruleset, sources, out.dir);
    const text = readFileSync(join(out.dir, 'rules.evaluator.ts'), 'utf8');
    expect(text).toMatch(/function g0_1\(/);
    for (const m of text.matchAll(/\n  function (g\d+_\d+)\([^]*?\n  }\n/g)) expect(m[0].length).toBeLessThan(60_000);
    const pair = enginePair(ruleset, built.module, { compareAlerts: true });
    await replayPair(join(sharedDir, 'upstream/captures/curl_google.scap'), pair);
    expect(pair.mismatches).toEqual([]);
    expect(pair.matchesByRule.get('r7')).toBeGreaterThan(0);
    expect(pair.matchesByRule.get('r391')).toBe(pair.matchesByRule.get('r7'));
  });
});
