// Plans of plugin sources: one group per source holding all its rules in load order (no event
// type to index by), folded for the source (evt.source, evt.num = 0), flattened, ordered and with
// shared sub-expressions marked like a syscall group; the rule table holds every source's rules.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../compiler/plan/build-plan.ts';
import { compileSources } from '../../runtime/engine/engine-pair.ts';

const rule = (name: string, condition: string, source?: string) =>
  `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: WARNING\n${source ? `  source: ${source}\n` : ''}`;

const plan = buildPlan(
  compileSources([
    {
      name: 'p.yaml',
      text: [
        '- macro: pod_write\n  condition: (ka.target.resource = pods and ka.verb in (create, update))\n',
        rule('k1', 'pod_write and ka.user.name = admin', 'k8s_audit'),
        rule('s1', 'evt.type = execve and proc.name = sh'),
        rule('o1', 'okta.evt.type = user.account.lock', 'okta'),
        rule('k2', 'evt.source = k8s_audit and pod_write and not evt.num = 0', 'k8s_audit'),
        rule('k3', 'evt.source = okta and ka.verb = get', 'k8s_audit'),
        rule('k4', 'ka.verb = delete', 'k8s_audit'),
      ].join('\n'),
    },
  ]),
);

describe('plugin source plans', () => {
  it('keep every rule of every source in the one rule table, in load order', () => {
    expect(plan.rules.map((r) => [r.name, r.source])).toEqual([
      ['k1', 'k8s_audit'], ['s1', 'syscall'], ['o1', 'okta'], ['k2', 'k8s_audit'], ['k3', 'k8s_audit'], ['k4', 'k8s_audit'],
    ]);
    expect(plan.codesByRule.map((c) => c.length > 0)).toEqual([false, true, false, false, false, false]);
    // The syscall groups run only the syscall rule.
    expect(new Set(plan.groups.flatMap((g) => g.cases.map((c) => c.rule)))).toEqual(new Set([1]));
  });

  it('give each source one group of its rules in load order, folded for the source', () => {
    expect(plan.sources.map((s) => s.source)).toEqual(['k8s_audit', 'okta']);
    const k8s = plan.sources[0]!;
    expect(k8s.group.codes).toEqual([]);
    // k3 folds to false (evt.source is never okta here); k2's evt.source and evt.num checks fold away.
    expect(k8s.group.cases.map((c) => c.rule)).toEqual([0, 3, 5]);
    expect(JSON.stringify(k8s.group.cases[1]!.expr)).not.toMatch(/evt\.(source|num)/);
    expect(k8s.fields).toEqual(['evt.num', 'evt.source', 'ka.target.resource', 'ka.user.name', 'ka.verb']);
    expect(plan.sources[1]!.group.cases.map((c) => c.rule)).toEqual([2]);
    expect(plan.fields.some((f) => f.startsWith('ka.'))).toBe(false);
  });

  it('mark the sub-expressions several rules of the source share, to memoise', () => {
    const k8s = plan.sources[0]!.group;
    expect([...k8s.shared]).toEqual(['(ka.target.resource = ["pods"] and ka.verb in list ["create","update"])']);
  });
});
