// The bundled `falcoc` command, run as users run it.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, conformanceDir, repoRoot, upstreamSyscallFiles } from '../../paths.ts';

function falcoc(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function rulesFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'falcoc-cli-'));
  const f = join(dir, 'rules.yaml');
  writeFileSync(f, text);
  return f;
}

const bad = rulesFile(
  '- list: unused_list\n  items: [a]\n- rule: bad\n  desc: d\n  condition: evt.type = open and proc.nme = x\n  output: o\n  priority: WARNING\n',
);
const warnOnly = rulesFile('- list: unused_list\n  items: [a]\n');

describe('falcoc lint', () => {
  test('exit codes: 0 clean, 1 errors, 1 warnings under --strict, 2 usage', () => {
    expect(falcoc(['lint', 'rules/']).code).toBe(0);
    expect(falcoc(['lint', bad]).code).toBe(1);
    expect(falcoc(['lint', warnOnly]).code).toBe(0);
    expect(falcoc(['lint', '--strict', warnOnly]).code).toBe(1);
    expect(falcoc(['lint']).code).toBe(2);
    expect(falcoc(['lint', '--format', 'xml', bad]).code).toBe(2);
    expect(falcoc(['lint', '--max-file-size', 'lots', bad]).code).toBe(2);
    expect(falcoc(['--version']).code).toBe(0);
  });

  test('text output: location, underline, hint, summary', () => {
    const r = falcoc(['lint', bad]);
    expect(r.stdout).toContain(`${bad}:5:34: error LOAD_ERR_COMPILE_CONDITION: filter_check called with nonexistent field proc.nme`);
    expect(r.stdout).toContain('|' + ' '.repeat(34) + '^~~~~~~~');
    expect(r.stdout).toContain('hint: did you mean proc.name?');
    expect(r.stderr).toBe('1 error, 0 warnings in 1 file\n');
  });

  test('json output has the shape of falco --validate', () => {
    const doc = JSON.parse(falcoc(['lint', '--format', 'json', bad]).stdout);
    const [file] = doc.falco_load_results;
    expect(file).toMatchObject({ name: bad, successful: false, warnings: [] });
    const [e] = file.errors;
    expect(Object.keys(e)).toEqual(['code', 'codedesc', 'column', 'context', 'file', 'line', 'message']);
    expect(e).toMatchObject({ code: 'LOAD_ERR_COMPILE_CONDITION', codedesc: 'Error compiling condition', line: 5, column: 34 });
    expect(e.context.locations.map((l: { item_type: string }) => l.item_type)).toEqual(['rules content', 'rule', 'rule condition', 'condition expression']);
    expect(e.context.locations[1]).toMatchObject({ item_name: 'bad', position: { line: 2, column: 2 } });
    expect(e.context.snippet).toBe('  condition: evt.type = open and proc.nme = x\n' + ' '.repeat(33) + '^\n');
  });

  test('sarif output', () => {
    const doc = JSON.parse(falcoc(['lint', '--format', 'sarif', bad]).stdout);
    expect(doc.version).toBe('2.1.0');
    const [result] = doc.runs[0].results;
    expect(result).toMatchObject({ ruleId: 'LOAD_ERR_COMPILE_CONDITION', level: 'error' });
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 5, startColumn: 34, endColumn: 42 });
    expect(doc.runs[0].tool.driver.rules[result.ruleIndex].id).toBe('LOAD_ERR_COMPILE_CONDITION');
  });

  test('the upstream syscall files lint clean', () => {
    const r = falcoc(['lint', '--strict', ...upstreamSyscallFiles]);
    expect(r.stderr).toBe('0 errors, 0 warnings in 3 files\n');
    expect(r.code).toBe(0);
  });
});

describe('falcoc rules', () => {
  test('lists enabled rules with their event types', () => {
    const rows = JSON.parse(falcoc(['rules', '--json', ...upstreamSyscallFiles]).stdout);
    expect(rows).toHaveLength(81);
    const shell = rows.find((r: { name: string }) => r.name === 'Terminal shell in container');
    expect(shell).toMatchObject({ priority: 'Notice', source: 'syscall', eventTypes: ['execve', 'execveat'] });
    expect(JSON.parse(falcoc(['rules', '--json', '--all', ...upstreamSyscallFiles]).stdout)).toHaveLength(93);
  });
});

describe('falcoc conformance', () => {
  test('runs a folder named by FALCOC_CONFORMANCE_DIR and reports failures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'falcoc-conf-'));
    copyFileSync(join(conformanceDir, 'literals.yaml'), join(dir, 'literals.yaml'));
    writeFileSync(join(dir, 'conditions-mine.yaml'), '- id: mine-1\n  condition: a and\n  stage: parse\n  expect: ok\n- id: mine-2\n  condition: a and b\n  stage: parse\n  expect: ok\n');
    const r = falcoc(['conformance'], { FALCOC_CONFORMANCE_DIR: dir });
    expect(r.stdout).toContain('conditions-mine.yaml: 1 passed, 1 failed, 0 skipped');
    expect(r.stdout).toContain('literals.yaml: 23 passed, 0 failed, 0 skipped');
    expect(r.stdout).toContain("FAIL mine-1: \"a and\": expected ok, got error \"expected blank or '(' after 'and'\"");
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('conformance: 24 passed, 1 failed, 0 skipped');
    expect(r.code).toBe(1);
  });
});
