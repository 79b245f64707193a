// Plugin sources through the `falcoc` command: `replay --source` on files and folders, and
// `run --disable-source syscall` taking the k8s audit and GitHub webhooks that falco.yaml loads
// (no root needed), each alert tagged with its source, SIGTERM ending it with a summary; with the
// rules files and with a compiled bundle of them.
import { describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repoRoot, upstreamRulesDir } from '../../paths.ts';
import { freePort } from '../../free-port.ts';

const fixtures = join(repoRoot, 'test/fixtures/plugin-events');
const dir = mkdtempSync(join(tmpdir(), 'falcoc-sources-'));
const env = { ...process.env, TZ: 'UTC', FALCO_HOSTNAME: 'vm' };


describe('falcoc replay --source', () => {
  test('replays a folder of audit logs and exits 0; an unknown source is a usage error naming the sources', () => {
    const r = spawnSync(process.execPath, [cliPath, 'replay', join(fixtures, 'k8s_audit'), '--source', 'k8s_audit', '-r', join(upstreamRulesDir, 'k8s_audit_rules.yaml'), '-o', 'syslog_output.enabled=false'], { encoding: 'utf8', env });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(7);
    expect(r.stderr).toMatch(/Events read \(k8s_audit\): 10, /);
    const bad = spawnSync(process.execPath, [cliPath, 'replay', fixtures, '--source', 'kafka', '-r', join(upstreamRulesDir, 'k8s_audit_rules.yaml')], { encoding: 'utf8', env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/unknown event source 'kafka': use one of syscall, k8s_audit, aws_cloudtrail, okta, github, json/);
  });

  test('--bundle: the bundle built from the syscall and plugin files prints the same alerts as -r, rule_matching first and all', () => {
    const files = ['falco_rules.yaml', 'k8s_audit_rules.yaml', 'aws_cloudtrail_rules.yaml', 'okta_rules.yaml', 'github_rules.yaml'].map((f) => join(upstreamRulesDir, f));
    const build = spawnSync(process.execPath, [cliPath, 'build', ...files, '--outdir', join(dir, 'bundle')], { encoding: 'utf8', env });
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/plugin sources: k8s_audit \d+, aws_cloudtrail \d+, okta \d+, github \d+ \(one evaluator each\)/);
    for (const matching of ['first', 'all']) {
      const replay = (rules: string[]) =>
        spawnSync(process.execPath, [cliPath, 'replay', join(fixtures, 'k8s_audit'), '--source', 'k8s_audit', ...rules, '-o', 'syslog_output.enabled=false', '-o', `rule_matching=${matching}`, '--json'], { encoding: 'utf8', env });
      const interpreted = replay(['-r', ...files]);
      const compiled = replay(['--bundle', join(dir, 'bundle')]);
      expect(compiled.status, compiled.stderr).toBe(0);
      expect(interpreted.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(7);
      expect(compiled.stdout).toBe(interpreted.stdout);
      expect(compiled.stderr.replace(/, [\d.]+ s, \d+ events\/s/, '')).toBe(interpreted.stderr.replace(/, [\d.]+ s, \d+ events\/s/, ''));
    }
  });
});

describe('falcoc run --disable-source syscall', () => {
  const rulesArgs = () => ['-r', ...['k8s_audit_rules.yaml', 'github_rules.yaml'].map((f) => join(upstreamRulesDir, f))];
  const bundleArgs = () => {
    const outdir = join(dir, 'run-bundle');
    const r = spawnSync(process.execPath, [cliPath, 'build', ...rulesArgs().slice(1), '--outdir', outdir], { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    return ['--bundle', outdir];
  };
  test.each([['rules files', rulesArgs], ['a compiled bundle', bundleArgs]])('takes the k8s audit and GitHub webhooks falco.yaml loads, alerts tagged with their source, a summary at SIGTERM (%s)', async (_what, rulesOf) => {
    const [auditPort, githubPort] = [await freePort(), await freePort()];
    const config = join(dir, 'falco.yaml');
    writeFileSync(config, [
      'json_output: true', 'syslog_output:', '  enabled: false', 'webserver:', '  enabled: false',
      'load_plugins: [k8saudit, json, github]',
      'plugins:',
      '  - name: k8saudit', '    library_path: libk8saudit.so', `    open_params: "http://127.0.0.1:${auditPort}/k8s-audit"`,
      '  - name: json', '    library_path: libjson.so',
      '  - name: github', `    open_params: "http://127.0.0.1:${githubPort}/github"`, '    init_config:', '      secret: s3cret',
    ].join('\n') + '\n');
    const child = spawn(process.execPath, [cliPath, 'run', '--disable-source', 'syscall', '-c', config, ...rulesOf()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await new Promise<void>((resolve) => child.stderr.on('data', (d) => ((errText += d), /github: webhook listening/.test(errText) && resolve())));
    const audit = readFileSync(join(fixtures, 'k8s_audit/attacks.jsonl'), 'utf8').trim().split('\n');
    const posted = await fetch(`http://127.0.0.1:${auditPort}/k8s-audit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"kind":"EventList","items":[${audit.join(',')}]}` });
    expect(posted.status).toBe(200);
    const notAudit = await fetch(`http://127.0.0.1:${auditPort}/k8s-audit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"Pod"}' });
    expect(notAudit.status).toBe(400);
    const push = readFileSync(join(fixtures, 'github/attacks.jsonl'), 'utf8').trim().split('\n')[0]!;
    const signature = 'sha256=' + createHmac('sha256', 's3cret').update(push).digest('hex');
    const gh = await fetch(`http://127.0.0.1:${githubPort}/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'repository', 'x-hub-signature-256': signature }, body: push });
    expect(gh.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const alerts = out.trim().split('\n').map((l) => JSON.parse(l) as { rule: string; source: string });
    expect(alerts.filter((a) => a.source === 'k8s_audit').map((a) => a.rule)).toEqual([
      'Attach/Exec Pod', 'Create Privileged Pod', 'Create HostNetwork Pod', 'Create NodePort Service', 'ClusterRole With Wildcard Created', 'K8s Secret Deleted', 'Disallowed K8s User',
    ]);
    expect(alerts.filter((a) => a.source === 'github').map((a) => a.rule)).toEqual(['Private Repository Becoming Public']);
    expect(errText).toMatch(/k8s_audit: 7 events, 7 alerts, 2 requests \(refused: 1 data not recognized as a k8s audit event\)/);
    expect(errText).toMatch(/github: 1 events, 1 alerts, 1 requests/);
  }, 60_000);

  test('with no plugin source loaded it says there is nothing to run', () => {
    const r = spawnSync(process.execPath, [cliPath, 'run', '--disable-source', 'syscall', '-r', join(upstreamRulesDir, 'k8s_audit_rules.yaml')], { encoding: 'utf8', env, timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nothing to run: the syscall source is disabled and falco\.yaml loads no plugin with a live input/);
  });
});
