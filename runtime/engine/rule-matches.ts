// Matches per rule, with the labels /metrics gives them (name, priority, source, tags): what a
// run's summary, status line and Prometheus counters all read. Counted before storm control,
// as Falco's engine counts its matches.
import type { Alert } from '../format/alert.ts';
import type { RuleMatchCount } from '../metrics/metrics-snapshot.ts';

export class RuleMatches {
  private readonly byName = new Map<string, RuleMatchCount>();
  total = 0;

  add(a: Alert): void {
    this.total++;
    const m = this.byName.get(a.rule);
    if (m) m.count++;
    else this.byName.set(a.rule, { rule: a.rule, priority: a.priority, source: a.source, tags: a.tags, count: 1 });
  }

  values(): IterableIterator<RuleMatchCount> {
    return this.byName.values();
  }

  /** Rule name → matches. */
  byRule(): Record<string, number> {
    return Object.fromEntries([...this.byName.values()].map((m) => [m.rule, m.count]));
  }
}
