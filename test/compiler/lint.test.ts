// lint() against the upstream rules and against broken and hostile rule files.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint, lintSources } from '../../compiler/lint.ts';
import type { Diagnostic } from '../../compiler/diagnostics.ts';
import { upstreamPluginFiles, upstreamSyscallFiles } from '../paths.ts';

const src = (text: string, name = 'test.yaml') => [{ name, text }];
const errorsOf = (text: string) => lintSources(src(text)).diagnostics.filter((d) => d.severity === 'error');
const only = (ds: Diagnostic[]) => {
  expect(ds).toHaveLength(1);
  return ds[0]!;
};
const rule = (condition: string, extra = '') =>
  `- rule: r\n  desc: d\n  condition: ${condition}\n  output: out %proc.name\n  priority: WARNING\n${extra}`;

describe('upstream rule files', () => {
  test('the three syscall files, together and in order, have no errors', () => {
    const r = lint(upstreamSyscallFiles);
    expect(r.errors).toBe(0);
    expect(r.result.ruleset?.rules.length).toBe(93);
    expect(r.result.ruleset?.rules.filter((x) => x.enabled).length).toBe(81);
    // Every upstream syscall rule is restricted to some event types (the widest has 32 codes).
    expect(Math.max(...r.result.ruleset!.rules.map((x) => x.eventCodes!.size))).toBe(32);
  });

  test.each(upstreamPluginFiles)('%s loads with its own source and no errors', (file) => {
    const r = lint([file]);
    expect(r.errors).toBe(0);
    expect(r.result.ruleset!.rules.length).toBeGreaterThan(10);
  });
});

describe('diagnostics point at file:line:col', () => {
  test('unknown field inside a folded condition, with a hint', () => {
    const d = only(errorsOf(rule('>\n    evt.type = execve\n    and proc.pnme = bash')));
    expect(d).toMatchObject({ code: 'LOAD_ERR_COMPILE_CONDITION', line: 5, col: 9, message: 'filter_check called with nonexistent field proc.pnme' });
    expect(d.hint).toBe('did you mean proc.pname?');
    expect(d.item).toEqual({ type: 'rule', name: 'r' });
  });

  test('an error inside a macro points into the macro', () => {
    const text = `- macro: m\n  condition: proc.nme = x\n${rule('evt.type = open and m')}`;
    const d = only(errorsOf(text));
    expect([d.line, d.col]).toEqual([2, 14]);
    expect(d.hint).toContain("macro 'm'");
  });

  test('parse errors in a quoted condition', () => {
    const d = only(errorsOf(rule('"evt.type = open and"')));
    expect(d.code).toBe('LOAD_ERR_COMPILE_CONDITION');
    expect(d.line).toBe(3);
  });
});

describe('bad input gets a clear diagnostic, never a crash or hang', () => {
  test('malformed YAML', () => {
    const d = only(errorsOf('- rule: x\n  desc: [unclosed\n  priority: INFO\n'));
    expect(d.code).toBe('LOAD_ERR_YAML_PARSE');
  });

  test('wrong value types', () => {
    expect(only(errorsOf('- list: l\n  items: foo\n')).message).toBe('Value is not a sequence');
    expect(only(errorsOf(rule('evt.type = open').replace('priority: WARNING', 'priority: [a]'))).message).toBe('Value is not a scalar value');
    expect(only(errorsOf(rule('evt.type = open', '  enabled: maybe\n'))).message).toBe("Can't decode YAML scalar value");
    expect(only(errorsOf(rule('evt.type = open').replace('WARNING', 'URGENT'))).message).toBe('Invalid priority');
    expect(only(errorsOf('- rule: x\n')).message).toBe("Item has no mapping for key 'enabled'");
    expect(only(errorsOf('just a string')).message).toBe('Rules content is not yaml');
    expect(only(errorsOf('a: map')).message).toBe('Rules content is not yaml array of objects');
  });

  test('a condition of 100,000 nested parentheses', () => {
    const d = only(errorsOf(rule('"' + '('.repeat(100_000) + 'evt.type = open' + ')'.repeat(100_000) + '"')));
    expect(d.message).toBe('exceeded max depth limit of 1000');
  });

  test('a macro cycle', () => {
    const text = `- macro: a\n  condition: b\n- macro: b\n  condition: a\n${rule('a')}`;
    // b is not visible to a (defined later), so Falco reports it undefined; a rule sees both.
    expect(only(errorsOf(text)).message).toBe("Undefined macro 'b' used in filter.");
    const appended = `- macro: a\n  condition: evt.type = open\n- macro: b\n  condition: a\n- macro: a\n  condition: or b\n  override:\n    condition: append\n${rule('a')}`;
    expect(only(errorsOf(appended)).message).toMatch(/^reference loop in macro '(a|b)'$/);
  });

  test('a macro DAG that would expand exponentially', () => {
    let text = '- macro: m0\n  condition: evt.type = open\n';
    for (let i = 1; i <= 40; i++) text += `- macro: m${i}\n  condition: m${i - 1} and m${i - 1}\n`;
    const d = only(errorsOf(text + rule('m40')));
    expect(d.message).toMatch(/expands to more than 500000 nodes/);
  });

  test('a list of 1,000,000 items loads', () => {
    const items = Array.from({ length: 1_000_000 }, (_, i) => `item${i}`).join(', ');
    const r = lintSources(src(`- list: huge\n  items: [${items}]\n${rule('evt.type = open and proc.name in (huge)')}`));
    expect(r.errors).toBe(0);
    const check = r.result.ruleset!.rules[0]!.typed;
    expect(check.kind === 'and' && check.children[1]!.kind === 'check' && check.children[1]!.values!.length).toBe(1_000_000);
  }, 120_000);

  test('a 50 MB rules file gets a clean limit error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'falcoc-'));
    const file = join(dir, 'big.yaml');
    const one = rule('evt.type = open and proc.name = cat');
    writeFileSync(file, one.repeat(Math.ceil((50 * 1024 * 1024) / one.length)));
    const d = only(lint([file]).diagnostics);
    expect(d).toMatchObject({ code: 'LOAD_ERR_FILE_READ', file });
    expect(d.message).toMatch(/more than the limit of 16777216 \(raise it with --max-file-size\)/);
  });

  test('binary garbage', () => {
    const dir = mkdtempSync(join(tmpdir(), 'falcoc-'));
    const withNul = join(dir, 'a.yaml');
    writeFileSync(withNul, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]));
    expect(only(lint([withNul]).diagnostics).message).toMatch(/binary content \(NUL byte at offset 6\)/);
    const noise = Buffer.alloc(4096);
    let x = 12345;
    for (let i = 0; i < noise.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      noise[i] = 1 + (x % 255);
    }
    const r = lintSources(src(noise.toString('latin1')));
    expect(r.errors).toBeGreaterThan(0);
    expect(r.diagnostics[0]!.code).toMatch(/^LOAD_ERR_YAML_(PARSE|VALIDATE)$/);
  });

  test('a file that does not exist', () => {
    const d = only(lint(['/nonexistent/rules.yaml']).diagnostics);
    expect(d).toMatchObject({ code: 'LOAD_ERR_FILE_READ', message: 'Could not read rules file /nonexistent/rules.yaml: no such file or directory' });
  });
});

describe('directories and file order', () => {
  test('a directory loads its yaml files in name order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'falcoc-'));
    writeFileSync(join(dir, 'b.yml'), rule('evt.type = open and m'));
    writeFileSync(join(dir, 'a.yaml'), '- macro: m\n  condition: proc.name = cat\n');
    writeFileSync(join(dir, 'c.txt'), 'not rules');
    const r = lint([dir]);
    expect(r.result.files.map((f) => f.name)).toEqual([join(dir, 'a.yaml'), join(dir, 'b.yml')]);
    expect(r.errors).toBe(0);
    // unused in a.yaml's own compile, used once b.yml is loaded: only Falco's per-file result shows it
    expect(r.result.files[0]!.warnings.map((w) => w.code)).toEqual(['LOAD_UNUSED_MACRO']);
    expect(r.diagnostics).toEqual([]);
    expect(readFileSync(join(dir, 'c.txt'), 'utf8')).toBe('not rules');
  });
});
