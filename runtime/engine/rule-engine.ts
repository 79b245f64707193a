// The rules side of replay and live runs: syscall rules indexed by event code, evaluated by the
// reference interpreter in load order, with Falco's matching mode (`first`: the first matching
// rule wins; `all`: every matching rule alerts) and minimum priority.
import type { CompiledRule, Ruleset } from '../../compiler/resolve/ruleset.ts';
import { applySelection, type SelectionEntry } from '../../compiler/resolve/selection.ts';
import { PRIORITIES, type Priority } from '../../compiler/load/items.ts';
import { parsePriority } from '../../compiler/load/reader.ts';
import { Interpreter, operand, type FieldSource } from '../interpreter/evaluate.ts';
import { EVENT_CODE_COUNT } from '../events/event-index.ts';
import { SYSCALL_SOURCE } from '../fields/catalog.ts';
import { buildAlert, type Alert, type AlertRule } from '../format/alert.ts';
import type { RuleMatching } from '../config/engine-config.ts';

/** A rule as an engine reports a match: enough to count it and render its alert. */
export interface MatchedRule {
  name: string;
  alert: AlertRule;
}

export interface EngineRule extends MatchedRule {
  rule: CompiledRule;
  interpreter: Interpreter;
}

/** A field source that also exposes the event context compiled evaluators read directly. */
export interface EngineSource extends FieldSource {
  readonly ctx: unknown;
}

/** What replay and live runs need from an engine, interpreted or compiled. */
export interface RuleEngine<R extends MatchedRule = MatchedRule> {
  wants(code: number): boolean;
  eventCodes(): Set<number>;
  evaluate(code: number, src: EngineSource, onMatch: (r: R) => void): number;
  alertFor(r: R, time: bigint, src: FieldSource, hostname: string): Alert;
}

/**
 * The rules that alert: the files' `enabled` flags with falco.yaml's `rules:` selection applied,
 * at least `minPriority`, of one event source (syscall unless said).
 */
export function activeRules<T extends { name: string; tags: readonly string[]; enabled: boolean; priority: string; source: string }>(
  rules: readonly T[],
  opts: Pick<RuleEngineOptions, 'minPriority' | 'selection'>,
  source: string = SYSCALL_SOURCE,
): Set<T> {
  const min = parsePriority(opts.minPriority ?? 'debug');
  if (!min) throw new RuleEngineError(`unknown priority '${opts.minPriority}': use one of ${PRIORITIES.join(', ').toLowerCase()}`);
  const minRank = PRIORITIES.indexOf(min);
  const enabled = applySelection(rules, opts.selection ?? []);
  return new Set(
    rules.filter((r) => r.source === source && enabled.has(r.name) && PRIORITIES.indexOf(r.priority as Priority) <= minRank),
  );
}

/** The alert description of a rule (its output already carries append_output's formats). */
export function alertRuleOf(
  r: { name: string; priority: string; source: string; tags: readonly string[] },
  output: AlertRule['output'],
  extraFields: readonly { key: string; compiled: AlertRule['output'] }[],
  typedKeys: ReadonlySet<string>,
): AlertRule {
  return {
    name: r.name,
    priority: r.priority,
    source: r.source,
    tags: r.tags,
    output,
    extraFields: extraFields.map((f) => ({ key: f.key, compiled: f.compiled, typed: typedKeys.has(f.key) })),
  };
}

/** The alert of a matching rule for the current event (outputs show proc.aname & co. joined). */
export function renderAlert(alert: AlertRule, time: bigint, src: FieldSource, hostname: string): Alert {
  const value = (o: Parameters<typeof operand>[0]) =>
    o.kind === 'field' && src.extractForOutput ? src.extractForOutput(o) : operand(o, src);
  return buildAlert(alert, time, value, hostname);
}

export interface RuleEngineOptions {
  /** Least severe priority that still alerts (Falco's `priority`). */
  minPriority?: string;
  ruleMatching?: RuleMatching;
  /** falco.yaml `rules:` enable/disable entries, applied to the files' `enabled` flags. */
  selection?: readonly SelectionEntry[];
  /** Extra output_fields keys whose typed value is reported (append_output bare field names). */
  typedExtraKeys?: ReadonlySet<string>;
}

export class RuleEngineError extends Error {}

/** Rules in load order on the current event: the first match only, or all (`matchAll`). */
export function evaluateInOrder(rules: readonly EngineRule[], src: FieldSource, matchAll: boolean, onMatch: (r: EngineRule) => void): number {
  let n = 0;
  for (const r of rules) {
    if (!r.interpreter.evaluate(src)) continue;
    n++;
    onMatch(r);
    if (!matchAll) break;
  }
  return n;
}

export class SyscallRuleEngine implements RuleEngine<EngineRule> {
  /** Per event code, the enabled rules that can match it, in load order. */
  private readonly byCode: EngineRule[][] = Array.from({ length: EVENT_CODE_COUNT }, () => []);
  readonly rules: EngineRule[] = [];
  readonly matchAll: boolean;

  constructor(ruleset: Ruleset, opts: RuleEngineOptions = {}) {
    this.matchAll = opts.ruleMatching === 'all';
    const active = activeRules(ruleset.rules, opts);
    const typed = opts.typedExtraKeys ?? new Set<string>();
    for (const rule of ruleset.rules) {
      if (!active.has(rule)) continue;
      const r: EngineRule = {
        name: rule.name,
        rule,
        interpreter: new Interpreter(rule.typed),
        alert: alertRuleOf(rule, rule.compiledOutput, rule.extraOutputFields, typed),
      };
      this.rules.push(r);
      for (const code of rule.eventCodes ?? []) this.byCode[code]?.push(r);
    }
  }

  /** Whether any rule looks at events of this code. */
  wants(code: number): boolean {
    return (this.byCode[code]?.length ?? 0) > 0;
  }

  /** Event codes the rules need (for the live driver's syscall selection). */
  eventCodes(): Set<number> {
    const out = new Set<number>();
    this.byCode.forEach((rules, code) => rules.length > 0 && out.add(code));
    return out;
  }

  /** Evaluates the rules for an event of `code`; calls `onMatch` per alerting rule. Returns the match count. */
  evaluate(code: number, src: FieldSource, onMatch: (r: EngineRule) => void): number {
    const rules = this.byCode[code];
    return rules ? evaluateInOrder(rules, src, this.matchAll, onMatch) : 0;
  }

  /** The alert of a matching rule for the current event. */
  alertFor(r: EngineRule, time: bigint, src: FieldSource, hostname: string): Alert {
    return renderAlert(r.alert, time, src, hostname);
  }
}
