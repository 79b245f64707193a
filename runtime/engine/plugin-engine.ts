// The rules of one plugin source (k8s_audit, aws_cloudtrail, …), interpreted: plugin events
// have no event type to index by, so every active rule of the source looks at every event, in
// load order, with Falco's matching mode and minimum priority.
import type { Ruleset } from '../../compiler/resolve/ruleset.ts';
import { Interpreter, type FieldSource } from '../interpreter/evaluate.ts';
import type { Alert } from '../format/alert.ts';
import {
  activeRules, alertRuleOf, evaluateInOrder, renderAlert, type EngineRule, type EngineSource, type MatchedRule, type RuleEngineOptions,
} from './rule-engine.ts';

/** One plugin source's rules, interpreted (PluginRuleEngine) or compiled (CompiledPluginEngine). */
export interface PluginEngine<R extends MatchedRule = MatchedRule> {
  readonly source: string;
  /** The rules that alert, in load order. */
  readonly rules: readonly R[];
  /** Calls `onMatch` per alerting rule for the current event; returns the match count. */
  evaluate(src: EngineSource, onMatch: (r: R) => void): number;
  alertFor(r: R, time: bigint, src: FieldSource, hostname: string): Alert;
}

export class PluginRuleEngine implements PluginEngine<EngineRule> {
  readonly rules: EngineRule[] = [];
  private readonly matchAll: boolean;

  constructor(
    ruleset: Ruleset,
    readonly source: string,
    opts: RuleEngineOptions = {},
  ) {
    this.matchAll = opts.ruleMatching === 'all';
    const active = activeRules(ruleset.rules, opts, source);
    const typed = opts.typedExtraKeys ?? new Set<string>();
    for (const rule of ruleset.rules) {
      if (!active.has(rule)) continue;
      this.rules.push({
        name: rule.name,
        rule,
        interpreter: new Interpreter(rule.typed),
        alert: alertRuleOf(rule, rule.compiledOutput, rule.extraOutputFields, typed),
      });
    }
  }

  /** Calls `onMatch` per alerting rule for the current event; returns the match count. */
  evaluate(src: FieldSource, onMatch: (r: EngineRule) => void): number {
    return evaluateInOrder(this.rules, src, this.matchAll, onMatch);
  }

  alertFor(r: EngineRule, time: bigint, src: FieldSource, hostname: string): Alert {
    return renderAlert(r.alert, time, src, hostname);
  }
}
