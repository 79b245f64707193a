// The four upstream plugin rule files on events written for the purpose
// (test/fixtures/plugin-events): each attack raises the rule it should, with Falco's output
// text; the benign events raise nothing. Also: bad documents among good ones.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceReplaySession } from '../../../runtime/engine/source-replay.ts';
import { repoRoot, sharedDir, upstreamRulesDir } from '../../paths.ts';

const fixtures = join(repoRoot, 'test/fixtures/plugin-events');

async function replay(source: string, inputs: string[], overrides: string[] = [], stdin?: string) {
  let out = '';
  const logs: string[] = [];
  const r = await sourceReplaySession({
    source, inputs, rules: [join(upstreamRulesDir, `${source}_rules.yaml`)], write: (t) => void (out += t), log: (l) => void logs.push(l),
    overrides: ['syslog_output.enabled=false', ...overrides], ...(stdin !== undefined ? { stdin: () => Buffer.from(stdin) } : {}),
  });
  const lines = out.split('\n').filter(Boolean);
  return { r, lines, logs, messages: lines.map((l) => l.replace(/^\S+: /, '')) };
}

describe('upstream plugin rules fire on their events', () => {
  it('k8s_audit_rules.yaml', async () => {
    const { r, messages, lines } = await replay('k8s_audit', [join(fixtures, 'k8s_audit/attacks.jsonl')]);
    expect(r.exitCode).toBe(0);
    expect(messages).toEqual([
      'Notice Attach/Exec to pod (user=admin pod=web-0 resource=pods ns=default action=exec command=sh)',
      'Warning Pod started with privileged container (user=admin pod=<NA> resource=pods ns=default images=(docker.io/evil/miner:1.0) init_images=<NA> ephemeral_images=<NA>)',
      'Warning Pod started using host network (user=admin pod=<NA> resource=pods ns=default images=(docker.io/evil/sniffer:2))',
      'Warning NodePort Service Created (user=admin service=backdoor resource=services ns=default ports=([{"port":22,"nodePort":30022}]))',
      'Warning Created Role/ClusterRole with wildcard (user=admin role=godmode resource=clusterroles rules=({"apiGroups":["*"],"resources":["*"],"verbs":["*"]}))',
      'Informational K8s Secret Deleted (user=admin secret=db-password ns=default resource=secrets resp=200 decision=allow reason=RBAC: allowed)',
      'Warning K8s Operation performed by user not in allowed list of users (user=mallory target=web-0/pods verb=get uri=/api/v1/namespaces/default/pods/web-0 resp=403)',
    ]);
    // The event time is the audit event's stageTimestamp.
    expect(r.summary!.alertsByRule['Attach/Exec Pod']).toBe(1);
    const d = new Date('2026-12-01T10:00:00.100Z');
    expect(lines[0]!.startsWith(`${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:00.100000000: `)).toBe(true);
    expect((await replay('k8s_audit', [join(fixtures, 'k8s_audit/benign.json')])).lines).toEqual([]);
  });

  it('aws_cloudtrail_rules.yaml, records of several log files (one gzipped) in time order', async () => {
    const { r, lines } = await replay('aws_cloudtrail', [join(fixtures, 'aws_cloudtrail')], ['json_output=true']);
    expect(r.exitCode).toBe(0);
    const alerts = lines.map((m) => JSON.parse(m) as { rule: string; output: string; source: string; output_fields: Record<string, unknown> });
    expect(alerts.map((a) => a.rule)).toEqual(['Console Login Without MFA', 'Create AWS user', 'CloudTrail Logging Disabled', 'Put Bucket ACL', 'Run Instances']);
    expect(alerts.every((a) => a.source === 'aws_cloudtrail')).toBe(true);
    expect(alerts[1]!.output).toMatch(/: Informational A new AWS user has been created \(requesting user=alice, requesting IP=198\.51\.100\.7, AWS region=us-east-1, new user created=eve\)$/);
    expect(alerts[1]!.output_fields).toMatchObject({ 'ct.user': 'alice', 'ct.srcip': '198.51.100.7', 'ct.region': 'us-east-1', 'ct.request.username': 'eve' });
    expect(alerts[3]!.output).toMatch(/on an existing bucket have been set using access control lists\. .*bucket name=payroll\)$/);
    expect((await replay('aws_cloudtrail', [join(fixtures, 'aws_cloudtrail-benign')])).lines).toEqual([]);
  });

  it('okta_rules.yaml', async () => {
    const { r, messages } = await replay('okta', [join(fixtures, 'okta/attacks.jsonl')]);
    expect(r.exitCode).toBe(0);
    expect(messages).toEqual([
      'Notice A user has been locked out in OKTA (user=IT Admin, ip=198.51.100.200)',
      'Notice A user has been locked out in OKTA (user=IT Admin, ip=198.51.100.200, target user=Bob Builder)',
      'Notice A user has initiated an impersonation session in OKTA (user=IT Admin, ip=198.51.100.200, target user=Bob Builder)',
    ]);
    expect(r.summary!.alertsByRule).toEqual({
      'User has been locked out in OKTA': 1, 'Admin permission has been assigned to a user in OKTA': 1, 'User initiating impersonation session in OKTA': 1,
    });
    expect((await replay('okta', [join(fixtures, 'okta/benign.jsonl')])).lines).toEqual([]);
  });

  it('github_rules.yaml, from files and from standard input', async () => {
    const attacks = readFileSync(join(fixtures, 'github/attacks.jsonl'), 'utf8');
    const { r, messages } = await replay('github', ['-'], [], attacks);
    expect(r.exitCode).toBe(0);
    const repo = 'repository_name=acme-corp/infra repository_url=https://github.com/acme-corp/infra repo_owner=acme-corp org=acme-corp user=org-owner';
    expect(messages).toEqual([
      `Critical A repository went from private to public (${repo})`,
      `Informational A new deploy key was created (${repo})`,
      `Warning A public repository was deleted (${repo})`,
    ]);
    const member = await replay('github', [join(sharedDir, 'plugin-sources/events/github/member_added.json')]);
    expect(Object.keys(member.r.summary!.alertsByRule)).toEqual(['Add Collaborator to Repository']);
    expect((await replay('github', [join(fixtures, 'github/benign.jsonl')])).lines).toEqual([]);
  });
});

describe('the json source', () => {
  it('takes rules of source json on any JSON documents (one per line, from standard input)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falcoc-json-'));
    const rules = join(dir, 'json_rules.yaml');
    writeFileSync(rules, '- rule: Slow checkout\n  desc: t\n  condition: json.value[/service] = checkout and jevt.value[/tags/0] = pci\n  output: slow %json.value[/service] (source=%evt.source plugin=%evt.pluginname)\n  priority: NOTICE\n  source: json\n');
    let out = '';
    const r = await sourceReplaySession({
      source: 'json', inputs: ['-'], rules: [rules], write: (t) => void (out += t), log: () => {}, overrides: ['syslog_output.enabled=false'],
      stdin: () => Buffer.from('{"service":"checkout","tags":["pci"]}\n{"service":"cart","tags":["pci"]}\n{"service":"checkout","tags":["eu"]}\n'),
    });
    expect(r.exitCode).toBe(0);
    expect(out.trim().split('\n').map((l) => l.replace(/^\S+: /, ''))).toEqual(['Notice slow checkout (source=json plugin=json)']);
  });
});

describe('bad input among good events', () => {
  it('reports each bad document with file:line and why, replays the good ones, exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falcoc-bad-'));
    const good = readFileSync(join(fixtures, 'k8s_audit/attacks.jsonl'), 'utf8').split('\n').filter(Boolean);
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, [good[0], '{"kind":"Event", "auditID": ', good[1], '{"kind":"Pod"}', '[1,2]', good[2]].join('\n') + '\n');
    writeFileSync(join(dir, 'empty.json'), '');
    const { r, messages, logs } = await replay('k8s_audit', [dir]);
    expect(r.exitCode).toBe(1);
    expect(messages).toHaveLength(3);
    expect(r.summary).toMatchObject({ events: 3, problems: 4 });
    expect(logs).toEqual(expect.arrayContaining([
      expect.stringMatching(/mixed\.jsonl:2: not JSON: unexpected end of JSON/),
      `falcoc: ${file}:4: data not recognized as a k8s audit event`,
      `falcoc: ${file}:5: data not recognized as a k8s audit event`,
      expect.stringMatching(/empty\.json: not JSON/),
    ]));
  });

  it('names an unknown source and a path that cannot be read', async () => {
    const missing = await replay('okta', [join(fixtures, 'okta/attacks.jsonl'), '/nonexistent/okta.jsonl']);
    expect(missing.r.exitCode).toBe(1);
    expect(missing.lines).toHaveLength(3);
    expect(missing.logs.join('\n')).toMatch(/\/nonexistent\/okta\.jsonl: cannot read: ENOENT/);
    const logs: string[] = [];
    const r = await sourceReplaySession({ source: 'nosuch', inputs: [fixtures], rules: [], write: () => {}, log: (l) => void logs.push(l) });
    expect(r.exitCode).toBe(1);
    expect(logs.join('\n')).toMatch(/unknown event source 'nosuch': use one of syscall, k8s_audit, aws_cloudtrail, okta, github, json/);
  });
});
