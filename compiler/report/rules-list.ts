// `falcoc rules`: each enabled rule with its priority, source, tags and event types.
import type { CompiledRule } from '../resolve/ruleset.ts';
import { describeEventCodes } from '../check/event-types.ts';

export interface RuleListing {
  name: string;
  priority: string;
  source: string;
  enabled: boolean;
  tags: string[];
  /** Event type names, or ["all"], or ["all", "except", …] */
  eventTypes: string[];
}

export function listRules(rules: readonly CompiledRule[], all = false): RuleListing[] {
  return rules
    .filter((r) => all || r.enabled)
    .map((r) => {
      let eventTypes: string[];
      if (!r.eventCodes) eventTypes = [`all ${r.source} events`];
      else {
        const d = describeEventCodes(r.eventCodes);
        eventTypes = d.all ? (d.except.length ? ['all', 'except', ...d.except] : ['all']) : d.names;
      }
      return { name: r.name, priority: r.priority, source: r.source, enabled: r.enabled, tags: r.tags, eventTypes };
    });
}

export function formatRulesText(rows: readonly RuleListing[]): string {
  return rows
    .map((r) =>
      [
        r.name,
        `    priority: ${r.priority}   source: ${r.source}${r.enabled ? '' : '   (disabled)'}`,
        `    tags: ${r.tags.length ? r.tags.join(', ') : '-'}`,
        `    event types: ${r.eventTypes.length ? r.eventTypes.join(' ') : 'none (never matches)'}`,
      ].join('\n'),
    )
    .join('\n') + (rows.length ? '\n' : '');
}
