// rule-selection.yaml (enabling rules) and literals.yaml (quoted strings).
import { applySelection, matchesWildcard, Rulesets, type RuleMatch, type SelectionEntry } from '../resolve/selection.ts';
import { escapeValue, unescapeQuoted } from '../parse/escaping.ts';
import { load } from './rule-loader.ts';
import { expect, json, runCase, type CaseResult } from './outcome.ts';

interface SelectionCase {
  id: string;
  files?: string[];
  selection?: SelectionEntry[];
  expect_enabled?: string[];
  steps?: { action: 'none' | 'enable' | 'disable'; match?: string; pattern?: string; tags?: string[]; ruleset?: string; expect_counts: Record<string, number> }[];
  wildcard?: string;
  text?: string;
  expect?: boolean;
}

export function runSelectionCase(c: SelectionCase): CaseResult {
  return runCase(c.id, () => {
    if (c.wildcard !== undefined) {
      const got = matchesWildcard(c.wildcard, c.text!);
      expect(got === c.expect, `'${c.wildcard}' vs '${c.text}': ${got}`);
      return;
    }
    const r = load({ id: c.id, files: c.files ?? [], expect: {} });
    expect(r.ruleset !== undefined, `rules failed to load: ${json(r.files.flatMap((f) => f.errors.map((e) => e.message)))}`);
    const rules = r.ruleset!.rules;
    if (c.selection) {
      const got = [...applySelection(rules, c.selection)].sort();
      const want = [...c.expect_enabled!].sort();
      expect(json(got) === json(want), `enabled ${json(got)}, expected ${json(want)}`);
    }
    if (c.steps) {
      const sets = new Rulesets(rules);
      for (const [i, step] of c.steps.entries()) {
        if (step.action !== 'none') {
          const m: RuleMatch = step.match === 'tags' ? { match: 'tags', tags: step.tags ?? [] } : { match: step.match as 'substring', pattern: step.pattern ?? '' };
          sets.set(step.ruleset ?? 'default', m, step.action === 'enable');
        }
        for (const [name, n] of Object.entries(step.expect_counts)) {
          expect(sets.count(name) === n, `step ${i}: ruleset ${name} has ${sets.count(name)} rules, expected ${n}`);
        }
      }
    }
  });
}

interface LiteralCase {
  id: string;
  op: 'unescape' | 'escape' | 'roundtrip';
  input: { text?: string; hex?: string };
  output?: { text?: string; hex?: string };
  expect?: 'error';
}

/** A printed value read back: quoted values are unescaped, bare ones are taken as they are. */
function reparse(printed: string): string {
  return printed.startsWith('"') ? unescapeQuoted(printed) : printed;
}

/** Case values as byte strings. */
function bytes(v: { text?: string; hex?: string }): string {
  if (v.hex !== undefined) return Buffer.from(v.hex, 'hex').toString('latin1');
  return Buffer.from(v.text!, 'utf8').toString('latin1');
}

export function runLiteralCase(c: LiteralCase): CaseResult {
  return runCase(c.id, () => {
    const input = bytes(c.input);
    let got: string;
    try {
      got = c.op === 'unescape' ? unescapeQuoted(input) : c.op === 'escape' ? escapeValue(input) : reparse(escapeValue(input));
    } catch (e) {
      expect(c.expect === 'error', `failed: ${(e as Error).message}`);
      return;
    }
    expect(c.expect !== 'error', `accepted, produced ${json(got)}`);
    const want = c.op === 'roundtrip' ? input : bytes(c.output!);
    expect(got === want, `${json(got)} != ${json(want)}`);
  });
}
