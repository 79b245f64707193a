// `falcoc bench`: per-rule counts agree with replay, and the report's shape.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repoRoot, sharedDir } from '../../paths.ts';

const capture = join(sharedDir, 'upstream/captures/curl_google.scap');
const dir = mkdtempSync(join(tmpdir(), 'falcoc-bench-test-'));
const rules = join(dir, 'small_rules.yaml');
writeFileSync(
  rules,
  `- list: lib_dirs
  items: [/lib, /usr/lib, /etc]
- macro: opened_for_read
  condition: evt.type in (open, openat, openat2) and evt.dir=< and fd.num >= 0
- rule: Open below lib or etc
  desc: a file below a library folder or /etc opened
  condition: opened_for_read and (fd.directory pmatch (lib_dirs) or fd.name startswith /etc)
  output: open %fd.name by %proc.name
  priority: NOTICE
- rule: Curl connects
  desc: curl connects out
  condition: evt.type=connect and evt.dir=< and proc.name=curl
  output: connect %fd.name
  priority: WARNING
- rule: Curl reads
  desc: every read by curl
  condition: evt.type=read and evt.dir=< and proc.name=curl
  output: read %fd.name
  priority: INFO
- rule: Never
  desc: never matches
  condition: evt.type=execve and evt.dir=< and proc.name=nothing-here
  output: x
  priority: INFO
`,
);

function falcoc(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd: repoRoot, maxBuffer: 16 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Report {
  capture: string;
  events: number;
  rule_matching: string;
  evaluator: string;
  per_rule_time: string;
  evaluations_exact: boolean;
  active_rules: number;
  decode_state: { elapsed_s: number; events_per_s: number };
  decode_state_evaluate: { elapsed_s: number; events_per_s: number };
  matches: number;
  rules: { name: string; file: string; line: number; evaluations: number; matches: number; time_s: number | null; share: number | null; ns_per_evaluation: number | null }[];
}

const byName = (r: Report, key: 'matches' | 'evaluations') => Object.fromEntries(r.rules.filter((x) => x[key] > 0).map((x) => [x.name, x[key]]));

describe('falcoc bench', () => {
  const summary = join(dir, 'summary.json');
  const replay = falcoc(['replay', capture, '-r', rules, '-o', 'rule_matching=all', '--summary-file', summary]);

  test('with rules: per-rule matches equal what replay reports under rule_matching=all, and every rule is timed', () => {
    expect(replay.code).toBe(0);
    const s = JSON.parse(readFileSync(summary, 'utf8')) as { events: number; alerts_by_rule: Record<string, number> };
    expect(Object.keys(s.alerts_by_rule).length).toBeGreaterThanOrEqual(3);

    const r = falcoc(['bench', capture, '-r', rules, '--json']);
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout) as Report;
    expect(b).toMatchObject({ capture: 'curl_google.scap', rule_matching: 'all', evaluator: 'rules', per_rule_time: 'instrumented', evaluations_exact: true, active_rules: 4 });
    expect(b.events).toBe(s.events);
    expect(byName(b, 'matches')).toEqual(s.alerts_by_rule);
    expect(b.matches).toBe(Object.values(s.alerts_by_rule).reduce((a, n) => a + n, 0));
    for (const p of [b.decode_state, b.decode_state_evaluate]) {
      expect(p.elapsed_s).toBeGreaterThan(0);
      expect(p.events_per_s).toBeGreaterThan(0);
    }
    for (const x of b.rules) {
      expect(x.evaluations).toBeGreaterThanOrEqual(x.matches);
      expect(x.time_s).toBeGreaterThanOrEqual(0);
      expect(typeof x.share).toBe('number');
      expect(typeof x.ns_per_evaluation).toBe('number');
    }
    expect(b.rules.find((x) => x.name === 'Never')).toMatchObject({ file: 'small_rules.yaml', line: 20, matches: 0 });
    expect(b.rules.reduce((a, x) => a + x.share!, 0)).toBeCloseTo(1, 3);
    // Costliest first.
    const times = b.rules.map((x) => x.time_s!);
    expect(times).toEqual([...times].sort((x, y) => y - x));

    // The same counts from a built bundle (evaluations exact under rule_matching=all), without time.
    const out = join(dir, 'bundle');
    expect(falcoc(['build', rules, '--outdir', out]).code).toBe(0);
    const fromBundle = falcoc(['bench', capture, '--bundle', out, '--json']);
    expect(fromBundle.code).toBe(0);
    const bb = JSON.parse(fromBundle.stdout) as Report;
    expect(bb).toMatchObject({ evaluator: 'bundle', per_rule_time: 'none', evaluations_exact: true });
    expect(byName(bb, 'matches')).toEqual(s.alerts_by_rule);
    expect(byName(bb, 'evaluations')).toEqual(byName(b, 'evaluations'));
    for (const x of bb.rules) expect([x.time_s, x.share, x.ns_per_evaluation]).toEqual([null, null, null]);
  });

  test('text output: the passes, rule_matching=all said, a row per evaluated rule', () => {
    const r = falcoc(['bench', capture, '-r', rules]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rule_matching=all (every rule that can match an event is evaluated');
    expect(r.stdout).toMatch(/decode\+state +[\d.]+ s +[\d,]+ events\/s/);
    expect(r.stdout).toMatch(/decode\+state\+evaluate +[\d.]+ s +[\d,]+ events\/s/);
    expect(r.stdout).toMatch(/share +time ms +ns\/eval +evaluations +matches +rule/);
    expect(r.stdout).toMatch(/%.* Open below lib or etc \(small_rules\.yaml:5\)/);
  });

  test('-o rule_matching=first is honoured; a missing capture is exit 1; -r or --bundle is required', () => {
    const r = falcoc(['bench', capture, '-r', rules, '-o', 'rule_matching=first', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Report).rule_matching).toBe('first');
    const missing = falcoc(['bench', join(dir, 'nope.scap'), '-r', rules]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('falcoc:');
    expect(falcoc(['bench', capture]).code).toBe(2);
  });
});
