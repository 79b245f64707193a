// `falcoc explain`: a rule as each stage sees it, from rules files and from a built bundle.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, repoRoot } from '../../paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'falcoc-explain-'));
const rules = join(dir, 'small_rules.yaml');
writeFileSync(
  rules,
  `- list: shell_binaries
  items: [bash, sh]
- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir=<
- rule: Shell spawned
  desc: a shell started
  condition: spawned_process and proc.name in (shell_binaries)
  output: shell %proc.name (parent %proc.pname)
  priority: WARNING
  exceptions:
    - name: allowed_parents
      fields: [proc.pname]
      values: [[cron]]
- rule: Open below etc
  desc: a file below /etc opened
  condition: evt.type in (open, openat) and evt.dir=< and fd.name startswith /etc and proc.name in (shell_binaries)
  output: open %fd.name
  priority: NOTICE
`,
);

function falcoc(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Explained {
  name: string;
  condition?: string;
  event_types: string[];
  evaluator_file: string;
  groups: { function: string; event_types: string[]; condition?: string; line: number; end_line: number; code: string[]; names: Record<string, string> }[];
  notes: string[];
}

describe('falcoc explain', () => {
  test('shows the resolved condition, the event types and the generated code', () => {
    const r = falcoc(['explain', 'Shell spawned', '-r', rules]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Shell spawned  (small_rules.yaml:5)');
    // Lists, macros and the exception resolved.
    expect(r.stdout).toContain('condition (lists, macros and exceptions resolved):');
    expect(r.stdout).toMatch(/evt\.type in \(execve, execveat\)/);
    expect(r.stdout).toMatch(/proc\.name in \(bash, sh\)/);
    expect(r.stdout).toMatch(/not .*proc\.pname = cron/);
    expect(r.stdout).toContain('event types: execve execveat');
    expect(r.stdout).toMatch(/evaluator g\d+, for execve execveat/);
    expect(r.stdout).toMatch(/code \(rules\.evaluator\.ts:\d+-\d+\):/);
    expect(r.stdout).toContain('// Shell spawned (small_rules.yaml:5)');
    expect(r.stdout).toContain('hit(0);');
    expect(r.stdout).toMatch(/x\d+ = rt\.operand\("proc\.name"(, true)?\)/);
  });

  test('--json: the specialised condition has no event-type checks, and the lines are those falcoc build writes', () => {
    const r = falcoc(['explain', 'Shell spawned', '-r', rules, '--json']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as Explained;
    expect(e.name).toBe('Shell spawned');
    expect(e.condition).toContain('proc.name in (bash, sh)');
    expect(e.event_types).toEqual(['execve', 'execveat']);
    expect(e.groups).toHaveLength(1);
    const g = e.groups[0]!;
    expect(g.event_types).toEqual(['execve', 'execveat']);
    expect(g.condition).not.toContain('evt.type');
    expect(g.condition).not.toContain('evt.dir');
    expect(g.condition).toContain('proc.name in (bash, sh)');
    expect(g.code[0]).toBe('// Shell spawned (small_rules.yaml:5)');
    expect(g.code).toContain('rule = 0;');

    const out = join(dir, 'bundle');
    expect(falcoc(['build', rules, '--outdir', out]).code).toBe(0);
    const generated = readFileSync(join(out, 'rules.evaluator.ts'), 'utf8').split('\n');
    expect(generated.slice(g.line - 1, g.end_line).map((l) => l.trim())).toEqual(g.code.map((l) => l.trim()));

    // From the bundle: same code, no conditions (the bundle does not carry them).
    const b = falcoc(['explain', 'Shell spawned', '--bundle', out, '--json']);
    expect(b.code).toBe(0);
    const eb = JSON.parse(b.stdout) as Explained;
    expect(eb.condition).toBeUndefined();
    expect(eb.event_types).toEqual(['execve', 'execveat']);
    expect(eb.groups.map((x) => [x.function, x.line, x.end_line, x.code])).toEqual(e.groups.map((x) => [x.function, x.line, x.end_line, x.code]));
    expect(eb.groups[0]!.names).toEqual(Object.fromEntries(Object.entries(g.names).filter(([n]) => !n.startsWith('m'))));
    expect(eb.notes.join('\n')).toContain('explain with -r');
  });

  test('a plugin source\'s rule: its case in the source\'s evaluator, from rules files and from the bundle alike', () => {
    const k8s = join(dir, 'k8s_rules.yaml');
    writeFileSync(
      k8s,
      readFileSync(rules, 'utf8') +
        `- rule: Exec into pod
  desc: exec
  condition: evt.source = k8s_audit and ka.verb = create and ka.target.subresource in (exec, attach)
  output: exec by %ka.user.name
  priority: NOTICE
  source: k8s_audit
`,
    );
    const r = falcoc(['explain', 'Exec into pod', '-r', k8s, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as Explained;
    expect(e.groups).toHaveLength(1);
    const g = e.groups[0]!;
    expect(g.function).toBe('e0');
    expect(g.event_types).toEqual([]);
    expect(g.condition).not.toContain('evt.source'); // fixed for the source: folded away
    expect(g.code[0]).toBe('// Exec into pod (k8s_rules.yaml:19)');
    expect(Object.values(g.names)).toContain('rt.operand("ka.verb", true, "k8s_audit")');
    const out = join(dir, 'k8s-bundle');
    expect(falcoc(['build', k8s, '--outdir', out]).code).toBe(0);
    const generated = readFileSync(join(out, 'rules.evaluator.ts'), 'utf8').split('\n');
    expect(generated.slice(g.line - 1, g.end_line).map((l) => l.trim())).toEqual(g.code.map((l) => l.trim()));
    const b = falcoc(['explain', 'Exec into pod', '--bundle', out, '--json']);
    const eb = JSON.parse(b.stdout) as Explained;
    expect(eb.groups.map((x) => [x.function, x.line, x.end_line, x.code])).toEqual(e.groups.map((x) => [x.function, x.line, x.end_line, x.code]));
    expect(eb.groups[0]!.names).toEqual(Object.fromEntries(Object.entries(g.names).filter(([n]) => !n.startsWith('m'))));
    const text = falcoc(['explain', 'Exec into pod', '-r', k8s]).stdout;
    expect(text).toContain('evaluator e0, for every k8s_audit event');
  });

  test('an unknown rule: exit 1 with the closest names', () => {
    const r = falcoc(['explain', 'Shell spawnd', '-r', rules]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no rule named 'Shell spawnd'; did you mean 'Shell spawned'?");
    const b = falcoc(['explain', 'open etc', '--bundle', join(dir, 'bundle')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain("did you mean 'Open below etc'?");
    const j = falcoc(['explain', 'nothing like it', '-r', rules, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toEqual({ error: "no rule named 'nothing like it'", suggestions: [] });
  });

  test('usage: exactly one of -r and --bundle', () => {
    expect(falcoc(['explain', 'Shell spawned']).code).toBe(2);
  });
});
