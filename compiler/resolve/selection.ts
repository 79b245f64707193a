// Which rules are enabled: the files' `enabled` flags, then Falco's `rules:` configuration
// entries (enable/disable by rule-name wildcard or by tag, applied in order), and the engine API
// used for named rulesets (substring, exact, wildcard or tag matching).

export interface SelectableRule {
  name: string;
  tags: readonly string[];
  enabled: boolean;
}

/** Falco's rules-name wildcard: `*` is any sequence, everything else literal, whole-name match. */
export function matchesWildcard(pattern: string, text: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === text;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!text.startsWith(first) || text.length < first.length + last.length || !text.endsWith(last)) return false;
  let at = first.length;
  const limit = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const p = parts[i]!;
    const found = text.indexOf(p, at);
    if (found < 0 || found + p.length > limit) return false;
    at = found + p.length;
  }
  return true;
}

/** One entry of falco.yaml's `rules:` list. */
export type SelectionEntry = { enable: { rule?: string; tag?: string } } | { disable: { rule?: string; tag?: string } };

/** The names of the rules enabled after applying `rules:` entries in order to the files' flags. */
export function applySelection(rules: readonly SelectableRule[], entries: readonly SelectionEntry[]): Set<string> {
  const enabled = new Set(rules.filter((r) => r.enabled).map((r) => r.name));
  for (const e of entries) {
    const on = 'enable' in e;
    const sel = 'enable' in e ? e.enable : e.disable;
    for (const r of rules) {
      const hit = sel.rule !== undefined ? matchesWildcard(sel.rule, r.name) : sel.tag !== undefined && r.tags.includes(sel.tag);
      if (!hit) continue;
      if (on) enabled.add(r.name);
      else enabled.delete(r.name);
    }
  }
  return enabled;
}

export type RuleMatch =
  | { match: 'substring' | 'exact' | 'wildcard'; pattern: string }
  | { match: 'tags'; tags: readonly string[] };

/** Named rulesets (Falco engine API): each starts empty; the default ruleset holds the files' enabled rules. */
export class Rulesets {
  private readonly sets = new Map<string, Set<string>>();

  constructor(private readonly rules: readonly SelectableRule[]) {
    this.sets.set('default', new Set(rules.filter((r) => r.enabled).map((r) => r.name)));
  }

  private matches(m: RuleMatch, r: SelectableRule): boolean {
    switch (m.match) {
      case 'substring':
        return m.pattern === '' || r.name.includes(m.pattern);
      case 'exact':
        return m.pattern === '' || r.name === m.pattern;
      case 'wildcard':
        return matchesWildcard(m.pattern, r.name);
      case 'tags':
        return m.tags.some((t) => r.tags.includes(t));
    }
  }

  set(ruleset: string, m: RuleMatch, enabled: boolean): void {
    const s = this.sets.get(ruleset) ?? new Set<string>();
    this.sets.set(ruleset, s);
    for (const r of this.rules) {
      if (!this.matches(m, r)) continue;
      if (enabled) s.add(r.name);
      else s.delete(r.name);
    }
  }

  count(ruleset: string): number {
    return this.sets.get(ruleset)?.size ?? 0;
  }
}
