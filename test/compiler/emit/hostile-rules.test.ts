// Hostile rules: every string a rules file hands the emitter (rule names, descs, outputs, tags,
// list items, exception names and values, condition values, field arguments) tries to end a
// string literal, a comment or a template, or to start a new line, and carries a payload that
// would leave a trace if it ever ran. The bundle must (a) load, (b) behave exactly like the
// interpreter, (c) run none of it, and (d) parse into a module whose string literals hold exactly
// the rule strings and whose calls only reach the runtime and the evaluator's own functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Node, Project, SyntaxKind, ts, type SourceFile } from 'ts-morph';
import { repoRoot, sharedDir } from '../../paths.ts';
import type { Ruleset } from '../../../compiler/resolve/ruleset.ts';
import { PRELUDE } from '../../../compiler/emit/prelude.ts';
import { cString } from '../../../runtime/operators/strings.ts';
import { operandFromText } from '../../../runtime/engine/bundle-runtime.ts';
import { CompiledPluginEngine, CompiledRuleEngine } from '../../../runtime/engine/compiled-engine.ts';
import { catalogFor, SYSCALL_SOURCE } from '../../../runtime/fields/catalog.ts';
import { buildAndLoad, compileSources, enginePair, replayPair, tempDir, type BuiltBundle } from '../../runtime/engine/engine-pair.ts';
import { yamlString } from './random-rules.ts';
import { pluginPair } from '../../runtime/engine/plugin-pair.ts';

const out = tempDir('falcoc-hostile-');
const MARK = join(out.dir, 'pwned');
const TRACE = '__falcocHostilePayloadRan';
const globals = globalThis as Record<string, unknown>;

/** Each would set a global or write MARK if the text ever became code. */
const PAYLOADS = [
  `"; globalThis.${TRACE} = 1; "`,
  `'; globalThis.${TRACE} = 1; '`,
  `\`; globalThis.${TRACE} = 1; \``,
  `\${globalThis.${TRACE} = 1}`,
  '${process.exit(1)}',
  `*/ globalThis.${TRACE} = 1; /*`,
  `// \n globalThis.${TRACE} = 1; //`,
  `\r globalThis.${TRACE} = 1; //`,
  `\u2028 globalThis.${TRACE} = 1; //`,
  `\u2029 globalThis.${TRACE} = 1; //`,
  `\\"); globalThis.${TRACE} = 1; ("`,
  `\\x22); globalThis.${TRACE} = 1; //`,
  `\\u0022); globalThis.${TRACE} = 1; //`,
  `"); process.getBuiltinModule("node:fs").writeFileSync(${JSON.stringify(MARK)}, "x"); ("`,
  `</script><script>globalThis.${TRACE} = 1</script>`,
  'trailing backslash \\',
  'é 日本 😀 \x7f \x01 \t',
];

/** A condition-syntax quoted string holding `s`: quotes and backslashes as \x escapes (a `\\"` would end it early). */
function condQuoted(s: string): string {
  let q = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    q += ch === '"' || ch === '\\' || c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return `${q}"`;
}

/** Bare field arguments may hold anything but brackets, quotes and blanks. */
const BARE_ARGS = ['${process.exit(1)}', '*/', '//x', '`', '\\', '${x}`', '</script>'];

function hostileRules(): string {
  const docs: string[] = [];
  docs.push(`- list: hostile_items\n  items: [${[...PAYLOADS.map(condQuoted), 'cat', 'sh'].map(yamlString).join(', ')}]`);
  docs.push(`- macro: hostile_macro\n  condition: ${yamlString(`proc.name in (hostile_items) or proc.env[${condQuoted(PAYLOADS[0]!)}] exists`)}`);
  PAYLOADS.forEach((p, i) => {
    const q = condQuoted(p);
    const arg = BARE_ARGS[i % BARE_ARGS.length]!;
    // Mostly true on real events (so outputs render), and every hostile text is evaluated.
    const condition =
      `evt.type in (openat, execve, connect, close, read) and not proc.name = ${q} and ` +
      `(proc.cmdline contains ${q} or not fd.name startswith ${q} or proc.env[${q}] exists or not proc.aenv[${q}] exists ` +
      `or container.label[${arg}] = ${q} or proc.env[${arg}] exists or proc.name in (hostile_items, ${q}) or hostile_macro ` +
      `or fd.name in (${q}) or proc.name endswith ${q} or tolower(proc.exe) != ${q} or fd.name glob ${q} ` +
      `or concat(proc.name, ${q}, fd.name) startswith ${q})`;
    docs.push(
      [
        `- rule: ${yamlString(`hostile ${i} ${p}`)}`,
        `  desc: ${yamlString(p)}`,
        `  condition: ${yamlString(condition)}`,
        `  output: ${yamlString(`${p} %proc.name %proc.env[${q}] %proc.aenv[${arg}] ${p}`)}`,
        `  priority: WARNING`,
        `  tags: [${yamlString(p)}, ${yamlString(`t${i}`)}]`,
        `  exceptions:`,
        `    - name: ${yamlString(p)}`,
        `      fields: [proc.name, fd.name]`,
        `      comps: [=, startswith]`,
        `      values:`,
        `        - [${yamlString(q)}, ${yamlString(q)}]`,
      ].join('\n'),
    );
  });
  // The same strings in rules of a plugin source (its own evaluator, operands and rule-table rows).
  PAYLOADS.forEach((p, i) => {
    const q = condQuoted(p);
    const condition =
      `ka.verb != ${q} and (ka.user.name = ${q} or not ka.target.name startswith ${q} or ka.uri in (hostile_items, ${q}) ` +
      `or jevt.value[${condQuoted(`/${p}`)}] exists or ka.req.pod.containers.image intersects (${q}) or ka.target.namespace contains ${q} or tolower(ka.verb) != ${q})`;
    docs.push(
      [
        `- rule: ${yamlString(`k8s hostile ${i} ${p}`)}`,
        `  desc: ${yamlString(p)}`,
        `  condition: ${yamlString(condition)}`,
        `  output: ${yamlString(`${p} %ka.verb %jevt.value[${condQuoted(`/${p}`)}] ${p}`)}`,
        `  priority: WARNING`,
        `  source: k8s_audit`,
        `  tags: [${yamlString(p)}, ${yamlString(`k${i}`)}]`,
      ].join('\n'),
    );
  });
  // NUL cannot stand in a condition value, but may in every other string of a rule.
  docs.push(
    [
      `- rule: ${yamlString(`nul \x00 */ name`)}`,
      `  desc: ${yamlString('\x00')}`,
      `  condition: evt.type = execve and proc.name exists`,
      `  output: ${yamlString('nul \x00 %proc.name \x00')}`,
      `  priority: WARNING`,
      `  tags: [${yamlString('\x00')}, ${yamlString('a\x00b')}]`,
    ].join('\n'),
  );
  return docs.join('\n\n') + '\n';
}

// Bundles record the file's base name: the folder part (here `dir*/`) is dropped.
const sources = [{ name: 'dir*/hostile "*` ${x}`\u2028 \'.yaml', text: hostileRules() }];
const FILE = 'hostile "*` ${x}`\u2028 \'.yaml';
let ruleset: Ruleset;
let built: BuiltBundle;
let generated: SourceFile;

beforeAll(async () => {
  delete globals[TRACE];
  ruleset = compileSources(sources);
  built = await buildAndLoad(ruleset, sources, out.dir, 'hostile');
  generated = new Project({ useInMemoryFileSystem: true }).createSourceFile('hostile.evaluator.ts', readFileSync(built.output.sourceFile, 'utf8'));
});
afterAll(() => {
  delete globals[TRACE];
  out.remove();
});

describe('hostile rule strings', () => {
  it('load into a bundle whose rule table holds them exactly', () => {
    expect(ruleset.rules).toHaveLength(2 * PAYLOADS.length + 1);
    expect(built.module.rules.map((r) => [r.name, r.output, r.tags])).toEqual(ruleset.rules.map((r) => [r.name, r.outputSource, [...r.tags]]));
    expect(built.module.rules.map((r) => r.file)).toEqual(ruleset.rules.map(() => FILE));
    // Creating the evaluator resolves every operand text and builds every predicate.
    expect(() => new CompiledRuleEngine(built.module, { ruleMatching: 'all' })).not.toThrow();
    expect(new CompiledPluginEngine(built.module, 'k8s_audit', { ruleMatching: 'all' }).rules).toHaveLength(PAYLOADS.length);
  });

  it('in a plugin source, behave exactly like the interpreter on its events', () => {
    const r = pluginPair(ruleset, built.module, 'k8s_audit', [join(repoRoot, 'test/fixtures/plugin-events/k8s_audit')], ['rule_matching=all']);
    expect(r.interpreted.length).toBeGreaterThan(PAYLOADS.length); // the hostile rules matched and rendered their outputs
    expect(r.compiled).toEqual(r.interpreted);
  });

  it('behave exactly like the interpreter on real events (rules matched, outputs, tags)', async () => {
    for (const capture of [join(sharedDir, 'upstream/captures/curl_google.scap')]) {
      const pair = enginePair(ruleset, built.module, { compareAlerts: true });
      const summary = await replayPair(capture, pair);
      expect(summary.error).toBeUndefined();
      expect(pair.mismatches.join('\n')).toBe('');
      expect(pair.matchesByRule.size).toBe(PAYLOADS.length + 1); // every hostile rule matched and rendered its output
    }
  });

  it('run none of the injected code', () => {
    expect(globals[TRACE]).toBeUndefined();
    expect(existsSync(MARK)).toBe(false);
  });

  it('parse as TypeScript with no syntax errors, templates or block comments', () => {
    const program = generated.getProject().getProgram().compilerObject;
    const diagnostics = program.getSyntacticDiagnostics(generated.compilerNode);
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    expect(generated.getDescendantsOfKind(SyntaxKind.TemplateExpression)).toEqual([]);
    expect(generated.getDescendantsOfKind(SyntaxKind.NoSubstitutionTemplateLiteral)).toEqual([]);
    const text = generated.getFullText();
    const comments: string[] = [];
    ts.forEachChild(generated.compilerNode, function visit(n: ts.Node) {
      for (const c of ts.getLeadingCommentRanges(text, n.getFullStart()) ?? []) comments.push(`${c.kind === ts.SyntaxKind.SingleLineCommentTrivia ? '//' : '/*'}${text.slice(c.pos, c.end)}`);
      ts.forEachChild(n, visit);
    });
    expect(comments.length).toBeGreaterThan(PAYLOADS.length); // one per rule case at least
    for (const c of comments) {
      expect(c.startsWith('////')).toBe(true);
      expect(c).toMatch(/^[\x20-\x7e]*$/); // printable ASCII: nothing ends the line early
    }
  });

  it('hold the rule strings exactly in the rule table literals', () => {
    const table = generated.getVariableDeclarationOrThrow('rules').getInitializerIfKindOrThrow(SyntaxKind.ArrayLiteralExpression);
    const rows = table.getElements().map((e) => {
      const o = e.asKindOrThrow(SyntaxKind.ObjectLiteralExpression);
      const str = (k: string) => o.getPropertyOrThrow(k).asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerIfKindOrThrow(SyntaxKind.StringLiteral).getLiteralValue();
      const tags = o.getPropertyOrThrow('tags').asKindOrThrow(SyntaxKind.PropertyAssignment).getInitializerIfKindOrThrow(SyntaxKind.ArrayLiteralExpression);
      return [str('name'), str('output'), tags.getElements().map((t) => t.asKindOrThrow(SyntaxKind.StringLiteral).getLiteralValue()), str('file')];
    });
    expect(rows).toEqual(ruleset.rules.map((r) => [r.name, r.outputSource, [...r.tags], FILE]));
  });

  it('hold the condition constants exactly in string literals, and operands that read back as the same fields', () => {
    const literals = new Set(generated.getDescendantsOfKind(SyntaxKind.StringLiteral).map((s) => s.getLiteralValue()));
    // Condition values are byte strings (UTF-8), compared as C strings.
    const bytes = (s: string) => cString(Buffer.from(s, 'utf8').toString('latin1'));
    for (const p of PAYLOADS) expect(literals, `value ${JSON.stringify(p)}`).toContain(bytes(p));
    // Operand texts go back through the condition parser at load: each must name the field and argument written.
    const operandCalls = generated
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .filter((c) => c.getExpression().getText() === 'rt.operand')
      .map((c) => c.getArguments().map((a) => (Node.isStringLiteral(a) ? a.getLiteralValue() : a.getText())));
    // Syscall operands name no source; a plugin source's name theirs, as a literal.
    const read = operandCalls
      .map(([t, , source]) => operandFromText(t!, catalogFor(source ?? SYSCALL_SOURCE)!))
      .map((o) => (o.kind === 'field' ? `${o.field.name}[${o.arg}]` : o.name));
    expect(operandCalls.filter((c) => c[2] !== undefined).every((c) => c[2] === 'k8s_audit')).toBe(true);
    expect(read).toContain('concat');
    const args = (field: string) => new Set(read.filter((r) => r.startsWith(`${field}[`)).map((r) => r.slice(field.length + 1, -1)));
    const payloadArgs = PAYLOADS.map(bytes);
    expect(args('proc.env')).toEqual(new Set([...payloadArgs, ...BARE_ARGS]));
    expect(args('proc.aenv')).toEqual(new Set(payloadArgs));
    expect(args('container.label')).toEqual(new Set(BARE_ARGS));
    expect(args('jevt.value')).toEqual(new Set(PAYLOADS.map((p) => bytes(`/${p}`))));
  });

  it('call only the runtime, the prelude and the evaluator’s own functions', () => {
    const text = generated.getFullText();
    const preludeStart = text.indexOf(PRELUDE);
    expect(preludeStart).toBeGreaterThan(0); // the prelude is emitted verbatim: no rule text in it
    const preludeEnd = preludeStart + PRELUDE.length;
    const helpers = [...PRELUDE.matchAll(/^const (\w+) = \(/gm)].map((m) => m[1]!);
    expect(helpers).toContain('eqS');
    const allowed = new RegExp(`^(?:${helpers.join('|')}|rt\\.(?:operand|check|ruleError)|x\\d+|p\\d+|S\\d+\\.has|T\\d+\\.walk|g(?:\\d+(?:_\\d+)?)?|e\\d+(?:_\\d+)?|src\\d+|hit|new Array\\(\\d+\\)\\.fill)$`);
    const callees = generated
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .filter((c) => c.getStart() < preludeStart || c.getStart() >= preludeEnd)
      .map((c) => c.getExpression().getText());
    expect(callees.length).toBeGreaterThan(PAYLOADS.length);
    expect(callees.filter((c) => !allowed.test(c))).toEqual([]);
    const constructed = generated
      .getDescendantsOfKind(SyntaxKind.NewExpression)
      .filter((c) => c.getStart() < preludeStart || c.getStart() >= preludeEnd)
      .map((n) => n.getExpression().getText());
    expect(constructed.filter((c) => !['Set', 'Array', 'PrefixIndex', 'Map'].includes(c))).toEqual([]);
    // No identifier from a payload (globalThis, process, …) exists as code.
    const identifiers = new Set(generated.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()));
    for (const name of ['globalThis', 'process', TRACE, 'require', 'eval', 'Function', 'import']) expect(identifiers.has(name), name).toBe(false);
    expect(Node.isSourceFile(generated)).toBe(true);
  });
});
