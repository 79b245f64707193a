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

export interface EngineRule {
  rule: CompiledRule;
  interpreter: Interpreter;
  alert: AlertRule;
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

export class SyscallRuleEngine {
  /** Per event code, the enabled rules that can match it, in load order. */
  private readonly byCode: EngineRule[][] = Array.from({ length: EVENT_CODE_COUNT }, () => []);
  readonly rules: EngineRule[] = [];
  readonly matchAll: boolean;

  constructor(ruleset: Ruleset, opts: RuleEngineOptions = {}) {
    const min = parsePriority(opts.minPriority ?? 'debug');
    if (!min) throw new RuleEngineError(`unknown priority '${opts.minPriority}': use one of ${PRIORITIES.join(', ').toLowerCase()}`);
    const minRank = PRIORITIES.indexOf(min);
    this.matchAll = opts.ruleMatching === 'all';
    const enabled = applySelection(ruleset.rules, opts.selection ?? []);
    const typed = opts.typedExtraKeys ?? new Set<string>();
    for (const rule of ruleset.rules) {
      if (rule.source !== SYSCALL_SOURCE || !enabled.has(rule.name)) continue;
      if (PRIORITIES.indexOf(rule.priority as Priority) > minRank) continue;
      const r: EngineRule = {
        rule,
        interpreter: new Interpreter(rule.typed),
        alert: {
          name: rule.name,
          priority: rule.priority,
          source: rule.source,
          tags: rule.tags,
          output: rule.compiledOutput,
          extraFields: rule.extraOutputFields.map((f) => ({ key: f.key, compiled: f.compiled, typed: typed.has(f.key) })),
        },
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
    if (!rules) return 0;
    let n = 0;
    for (const r of rules) {
      if (!r.interpreter.evaluate(src)) continue;
      n++;
      onMatch(r);
      if (!this.matchAll) break;
    }
    return n;
  }

  /** The alert of a matching rule for the current event. */
  alertFor(r: EngineRule, time: bigint, src: FieldSource, hostname: string): Alert {
    const value = (o: Parameters<typeof operand>[0]) =>
      o.kind === 'field' && src.extractForOutput ? src.extractForOutput(o) : operand(o, src);
    return buildAlert(r.alert, time, value, hostname);
  }
}
