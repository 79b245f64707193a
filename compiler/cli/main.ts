// The falcoc command: a thin layer over lint(), listRules(), runConformance() … Each command
// maps its flags onto the options object of the function it calls.
import { Command, CommanderError, Option } from 'commander';
import { relative } from 'node:path';
import { statSync } from 'node:fs';
import { lint } from '../lint.ts';
import { formatLintText, lintSummary } from '../report/text.ts';
import { formatFalcoJson, sortedJson } from '../report/falco-json.ts';
import { formatSarif } from '../report/sarif.ts';
import { listRules, formatRulesText } from '../report/rules-list.ts';
import { runConformance, fileLine, totalLine } from '../conformance/runner.ts';
import { defaultConformanceDir } from './paths.ts';
import { catalogFor, knownSources } from '../../runtime/fields/catalog.ts';
import { ENGINE_VERSION, FALCOC_VERSION } from '../version.ts';
import { replaySession } from '../../runtime/engine/replay-session.ts';
import { ConfigError } from '../../runtime/config/engine-config.ts';
import { OutputError } from '../../runtime/outputs/alert-sink.ts';
import { sourceReplaySession } from '../../runtime/engine/source-replay.ts';
import { SourceRun } from '../../runtime/live/source-run.ts';
import { WebhookError } from '../../runtime/sources/webhook/webhook-server.ts';
import { RuleEngineError } from '../../runtime/engine/rule-engine.ts';
import { BundleLoadError } from '../../runtime/engine/bundle-runtime.ts';
import { stateEventCodes } from '../../runtime/state/state-events.ts';
import { buildRules } from '../build.ts';
import { buildSummary } from '../report/build-summary.ts';
import { explainFromBundle, explainRule, formatExplainText, type ExplainOutcome, type ExplainLayouts } from '../explain.ts';
import { readBundleFiles } from './bundle-files.ts';
import { benchJson, benchSession, formatBenchText } from '../../runtime/engine/bench-session.ts';
import { CaptureError } from '../../runtime/capture/capture-error.ts';
import { LiveCapture } from '../../runtime/live/capture-session.ts';
import { LiveRun } from '../../runtime/live/run-session.ts';
import { DriverError } from '../../runtime/live/native-driver.ts';

const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');

function announceLargeInput(paths: readonly string[]): void {
  if (!process.stderr.isTTY) return;
  let bytes = 0;
  for (const p of paths) {
    try {
      bytes += statSync(p).size;
    } catch {
      // reported by the loader
    }
  }
  if (bytes > 8 * 1024 * 1024) err(`falcoc: loading ${(bytes / 1024 / 1024).toFixed(1)} MB of rules…`);
}

const program = new Command('falcoc')
  .description('Falco rules, compiled ahead of time')
  .version(`falcoc ${FALCOC_VERSION} (Falco rules engine ${ENGINE_VERSION})`, '-V, --version')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('lint')
  .description('check rules files: errors and warnings with file:line:col (exit 0 clean, 1 problems, 2 usage)')
  .argument('<paths...>', 'rules files or directories (*.yaml, *.yml, in name order); loaded in the order given')
  .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
  .option('--strict', 'warnings fail too')
  .option('--source <sources...>', 'event sources rules may use (default: every source falcoc implements)')
  .option('--max-file-size <MiB>', 'largest rules file to read', '16')
  .action((paths: string[], o: { format: string; strict?: boolean; source?: string[]; maxFileSize: string }) => {
    announceLargeInput(paths);
    const maxFileBytes = Number(o.maxFileSize) * 1024 * 1024;
    if (!(maxFileBytes > 0)) throw new CommanderError(2, 'falcoc.usage', `error: --max-file-size must be a positive number of MiB, not '${o.maxFileSize}'`);
    const report = lint(paths, { strict: o.strict === true, maxFileBytes, ...(o.source ? { sources: o.source } : {}) });
    if (o.format === 'json') {
      out(formatFalcoJson(report.result.files, report.sources, report.result.pluginRequirementError ? [report.result.pluginRequirementError] : []));
    } else if (o.format === 'sarif') {
      out(formatSarif(report.diagnostics, (f) => relative(process.cwd(), f)));
    } else {
      if (report.diagnostics.length) out(formatLintText(report.diagnostics, report.sources));
      err(lintSummary(report.errors, report.warnings, report.result.files.length));
    }
    process.exitCode = report.exitCode;
  });

program
  .command('rules')
  .description('list the rules each file set loads, with priority, source, tags and event types')
  .argument('<paths...>', 'rules files or directories')
  .option('--all', 'include disabled rules')
  .option('--json', 'JSON output')
  .action((paths: string[], o: { all?: boolean; json?: boolean }) => {
    const report = lint(paths);
    const ruleset = report.result.ruleset;
    if (!ruleset) {
      out(formatLintText(report.diagnostics.filter((d) => d.severity === 'error'), report.sources));
      err('falcoc: the rules did not load; run `falcoc lint` on them for details');
      process.exitCode = 1;
      return;
    }
    const rows = listRules(ruleset.rules, o.all === true);
    out(o.json ? sortedJson(rows) : formatRulesText(rows));
  });

program
  .command('fields')
  .description('list the fields a rules source can use')
  .option('--source <source>', `event source (${knownSources().join(', ')})`, 'syscall')
  .option('--json', 'JSON output')
  .action((o: { source: string; json?: boolean }) => {
    const catalog = catalogFor(o.source);
    if (!catalog) {
      err(`falcoc: unknown source '${o.source}'; known sources: ${knownSources().join(', ')}`);
      process.exitCode = 2;
      return;
    }
    if (o.json) {
      out(sortedJson(catalog.fields));
      return;
    }
    out(catalog.fields.map((f) => `${f.name}${f.arg === 'none' ? '' : f.arg === 'required' ? '[ARG]' : '[ARG?]'}  ${f.type}${f.isList ? ' (list)' : ''}  ${f.desc}`).join('\n'));
  });

program
  .command('conformance')
  .description('run conformance case files (default: $FALCOC_CONFORMANCE_DIR or ../shared/conformance)')
  .argument('[dir]', 'folder of case files')
  .option('-v, --verbose', 'print every failing case')
  .action((dir: string | undefined, o: { verbose?: boolean }) => {
    const folder = dir ?? defaultConformanceDir();
    const reports = runConformance(folder, (r) => {
      out(fileLine(r));
      for (const reason of r.skipReasons) out(`  skipped: ${reason}`);
      for (const x of r.results) {
        if (x.outcome.status === 'fail' && (o.verbose || r.failed <= 20)) out(`  FAIL ${x.id}: ${x.outcome.reason}`);
      }
    });
    out(totalLine(reports));
    process.exitCode = reports.some((r) => r.failed > 0) ? 1 : 0;
  });

program
  .command('replay')
  .description('replay a .scap capture (plain or gzip), or with --source plugin events from files, through rules, printing the alerts Falco would raise')
  .argument('<inputs...>', 'capture file (.scap or .scap.gz); with --source: files, folders or - (standard input)')
  .option('--source <name>', 'event source of the inputs: syscall (default), k8s_audit, aws_cloudtrail, okta, github, json')
  .option('-r, --rules <paths...>', 'rules files or directories, loaded in the order given (interpreted)')
  .option('-b, --bundle <path>', 'a compiled bundle instead of rules: the output folder of falcoc build, or its .bundle.mjs')
  .option('--verify-key <public.pem>', 'refuse the bundle unless its manifest carries a valid ed25519 signature for this key')
  .option('-c, --config <falco.yaml>', 'Falco configuration file (default: Falco 0.44 defaults)')
  .option('-o, --option <key=value>', 'override a configuration key (repeatable), e.g. -o rule_matching=all', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--json', 'JSON alert lines (same as -o json_output=true)')
  .option('--summary-file <path>', 'also write the end-of-run summary as JSON')
  .action(async (inputs: string[], o: { source?: string; rules?: string[]; bundle?: string; verifyKey?: string; config?: string; option: string[]; json?: boolean; summaryFile?: string }) => {
    if ((o.rules === undefined) === (o.bundle === undefined)) {
      throw new CommanderError(2, 'falcoc.usage', 'error: give either -r <rules…> or --bundle <path>');
    }
    const source = o.source ?? 'syscall';
    if (source === 'syscall' && inputs.length !== 1) throw new CommanderError(2, 'falcoc.usage', 'error: give one capture file (several inputs are for --source plugin events)');
    const capture = inputs[0]!;
    try {
      if (source !== 'syscall') {
        const r = await sourceReplaySession({
          source, inputs, overrides: o.option, json: o.json === true, write: (s) => process.stdout.write(s), log: err, progress: process.stderr.isTTY === true,
          ...(o.rules ? { rules: o.rules } : {}),
          ...(o.bundle ? { bundle: o.bundle } : {}),
          ...(o.verifyKey ? { verifyKey: o.verifyKey } : {}),
          ...(o.config ? { configFile: o.config } : {}),
        });
        process.exitCode = r.exitCode;
        return;
      }
      const r = await replaySession({
        capture, overrides: o.option, json: o.json === true, write: (s) => process.stdout.write(s), log: err,
        progress: process.stderr.isTTY === true,
        ...(o.rules ? { rules: o.rules } : {}),
        ...(o.bundle ? { bundle: o.bundle } : {}),
        ...(o.verifyKey ? { verifyKey: o.verifyKey } : {}),
        ...(o.config ? { configFile: o.config } : {}),
        ...(o.summaryFile ? { summaryFile: o.summaryFile } : {}),
      });
      process.exitCode = r.exitCode;
    } catch (e) {
      if (!(e instanceof ConfigError || e instanceof OutputError || e instanceof RuleEngineError || e instanceof BundleLoadError || (e as NodeJS.ErrnoException).code)) throw e;
      err(`falcoc: ${(e as Error).message}`);
      process.exitCode = 1;
    }
  });

const seconds = (what: string) => (v: string) => {
  const n = Number(v);
  if (!(n >= 0)) throw new CommanderError(2, 'falcoc.usage', `error: ${what} wants a number of seconds, not ${JSON.stringify(v)}`);
  return n;
};

program
  .command('run')
  .description('live detection (eBPF, as root): rules or a compiled bundle against this machine, alerts on stdout')
  .option('-r, --rules <paths...>', 'rules files or directories, loaded in the order given (interpreted)')
  .option('-b, --bundle <path>', 'a compiled bundle: the output folder of falcoc build, or its .bundle.mjs')
  .option('--verify-key <public.pem>', 'refuse the bundle unless its manifest carries a valid ed25519 signature for this key')
  .option('-c, --config <falco.yaml>', 'Falco configuration file (default: Falco 0.44 defaults)')
  .option('-o, --option <key=value>', 'override a configuration key (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--json', 'JSON alert lines (same as -o json_output=true)')
  .option('--duration <seconds>', 'stop after this many seconds (default: at SIGINT/SIGTERM)', seconds('--duration'))
  .option('--stats-interval <seconds>', 'print a stats line on stderr this often (0: never; default 60)', seconds('--stats-interval'))
  .option('--disable-source <names...>', 'event sources not to take (e.g. syscall: only the plugin sources falco.yaml loads, no root needed)')
  .action(async (o: { rules?: string[]; bundle?: string; verifyKey?: string; config?: string; option: string[]; json?: boolean; duration?: number; statsInterval?: number; disableSource?: string[] }) => {
    if ((o.rules === undefined) === (o.bundle === undefined)) {
      throw new CommanderError(2, 'falcoc.usage', 'error: give either -r <rules…> or --bundle <path>');
    }
    let run: LiveRun | SourceRun | undefined;
    const noSyscalls = (o.disableSource ?? []).includes('syscall');
    try {
      run = await (noSyscalls ? SourceRun : LiveRun).start({
        overrides: o.option, json: o.json === true, write: (s) => process.stdout.write(s), log: err,
        ...(o.rules ? { rules: o.rules } : {}),
        ...(o.bundle ? { bundle: o.bundle } : {}),
        ...(o.verifyKey ? { verifyKey: o.verifyKey } : {}),
        ...(o.config ? { configFile: o.config } : {}),
        ...(o.duration !== undefined ? { durationS: o.duration } : {}),
        ...(o.statsInterval !== undefined ? { statsEveryS: o.statsInterval } : {}),
      });
    } catch (e) {
      if (!(e instanceof DriverError || e instanceof ConfigError || e instanceof OutputError || e instanceof RuleEngineError || e instanceof BundleLoadError || e instanceof WebhookError)) throw e;
      err(`falcoc run: ${(e as Error).message}`);
      process.exitCode = 1;
      return;
    }
    if (!run) {
      process.exitCode = 1;
      return;
    }
    const live = run;
    const stop = () => live.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    err('falcoc run: started (stop with Ctrl-C)');
    const r = await live.finished();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    const rules = Object.entries(r.alertsByRule).sort((a, b) => b[1] - a[1]);
    err(
      `falcoc run: ${r.events.toLocaleString('en-US')} events in ${r.elapsedS.toFixed(1)} s, ${r.alerts} alerts, drops ${r.driver.drops}` +
        r.sources.map((l) => `\n${l}`).join('') +
        (rules.length ? `\n${rules.map(([n, c]) => `   ${n}: ${c}`).join('\n')}` : '') +
        Object.entries(r.outputs)
          .map(([name, st]) => `\n   ${name} output: ${st.sent} sent, ${st.failed} failed${st.dropped !== undefined ? `, ${st.dropped} dropped` : ''}`)
          .join('') +
        (r.suppressed.rateLimited || r.suppressed.deduplicated ? `\n   suppressed: ${r.suppressed.rateLimited} by the rate limit, ${r.suppressed.deduplicated} as duplicates` : ''),
    );
    process.exitCode = 0;
  });

program
  .command('capture')
  .description('record live events (eBPF, as root) into a capture file that falcoc replay and Falco read')
  .requiredOption('-w, --write <file>', 'the capture file to write (.scap, or .scap.gz for gzip)')
  .option('--duration <seconds>', 'stop after this many seconds (default: at SIGINT/SIGTERM)', seconds('--duration'))
  .action(async (o: { write: string; duration?: number }) => {
    let capture: LiveCapture;
    try {
      capture = new LiveCapture({ file: o.write, ...(o.duration !== undefined ? { durationS: o.duration } : {}), progress: err });
    } catch (e) {
      if (!(e instanceof DriverError || e instanceof Error)) throw e;
      err(`falcoc capture: ${(e as Error).message}`);
      process.exitCode = 1;
      return;
    }
    const stop = () => capture.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const r = await capture.finished();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    err(
      `falcoc capture: ${r.events.toLocaleString('en-US')} events, ${r.threads} threads and ${r.fds} fds at the head, ` +
        `${(r.bytes / 1024).toFixed(0)} KiB in ${r.elapsedS.toFixed(1)} s; drops ${r.driver.drops} -> ${o.write}`,
    );
    process.exitCode = r.driver.drops > 0 ? 1 : 0;
  });

program
  .command('build')
  .description('compile rules into one deployable bundle (evaluators + manifest); exit 1 on rule errors')
  .argument('<paths...>', 'rules files or directories, loaded in the order given')
  .option('--outdir <dir>', 'output folder', 'generated')
  .option('--name <name>', 'base name of the output files', 'rules')
  .option('--sign <private.pem>', 'sign the manifest with this ed25519 private key')
  .option('--max-file-size <MiB>', 'largest rules file to read', '16')
  .action(async (paths: string[], o: { outdir: string; name: string; sign?: string; maxFileSize: string }) => {
    announceLargeInput(paths);
    if (!/^[A-Za-z0-9._-]+$/.test(o.name)) throw new CommanderError(2, 'falcoc.usage', `error: --name must be a plain file name, not '${o.name}'`);
    const r = await buildRules(paths, {
      outdir: o.outdir, name: o.name, maxFileBytes: Number(o.maxFileSize) * 1024 * 1024, stateCodes: stateEventCodes(),
      ...(o.sign ? { signKey: o.sign } : {}),
    });
    if (r.report.diagnostics.length) err(formatLintText(r.report.diagnostics, r.report.sources));
    if (!r.output || !r.plan) {
      err(`falcoc: build failed: ${r.report.errors} error(s); nothing written (\`falcoc lint\` shows the same diagnostics)`);
      process.exitCode = 1;
      return;
    }
    out(buildSummary(r));
  });

program
  .command('explain')
  .description('show how falcoc compiles one rule: resolved condition, event types, and per evaluator the specialised condition and generated code')
  .argument('<rule>', 'the rule name (quoted; give it before -r)')
  .option('-r, --rules <paths...>', 'rules files or directories, loaded in the order given')
  .option('-b, --bundle <path>', 'a compiled bundle instead: the output folder of falcoc build, its manifest or its .bundle.mjs')
  .option('--json', 'JSON output')
  .action((name: string, o: { rules?: string[]; bundle?: string; json?: boolean }) => {
    if ((o.rules === undefined) === (o.bundle === undefined)) {
      throw new CommanderError(2, 'falcoc.usage', 'error: give either -r <rules…> or --bundle <path>');
    }
    let outcome: ExplainOutcome;
    let layouts: ExplainLayouts | undefined;
    if (o.rules) {
      const r = explainRule(o.rules, name);
      if (!r.outcome) {
        err(formatLintText(r.report.diagnostics.filter((d) => d.severity === 'error'), r.report.sources));
        err('falcoc: the rules did not load; fix the errors above (`falcoc lint` shows warnings too)');
        process.exitCode = 1;
        return;
      }
      outcome = r.outcome;
      layouts = r.layouts;
    } else {
      let files;
      try {
        files = readBundleFiles(o.bundle!);
      } catch (e) {
        if (!(e instanceof BundleLoadError)) throw e;
        err(`falcoc: ${e.message}`);
        process.exitCode = 1;
        return;
      }
      outcome = explainFromBundle(files.manifest, files.evaluatorText, name, files.evaluatorFile);
    }
    if (!outcome.ok) {
      const hint = outcome.suggestions.length ? `; did you mean ${outcome.suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
      err(`falcoc: no rule named '${name}'${hint}`);
      if (o.json) out(sortedJson({ error: `no rule named '${name}'`, suggestions: outcome.suggestions }));
      process.exitCode = 1;
      return;
    }
    out(o.json ? JSON.stringify(outcome.explanation, null, 2) : formatExplainText(outcome.explanation, layouts));
  });

program
  .command('bench')
  .description('measure what rules cost on a capture: events/s with and without them, and per rule evaluations, matches and time (rule_matching=all unless -o says otherwise)')
  .argument('<capture>', 'capture file (.scap or .scap.gz)')
  .option('-r, --rules <paths...>', 'rules files or directories: compiled in memory, per-rule time measured with an instrumented build')
  .option('-b, --bundle <path>', 'a compiled bundle instead: per-rule evaluations and matches, no per-rule time')
  .option('--verify-key <public.pem>', 'refuse the bundle unless its manifest carries a valid ed25519 signature for this key')
  .option('-c, --config <falco.yaml>', 'Falco configuration file (priority, rules selection, rule_matching)')
  .option('-o, --option <key=value>', 'override a configuration key (repeatable), e.g. -o rule_matching=first', (v: string, acc: string[]) => [...acc, v], [] as string[])
  .option('--json', 'JSON output')
  .action(async (capture: string, o: { rules?: string[]; bundle?: string; verifyKey?: string; config?: string; option: string[]; json?: boolean }) => {
    if ((o.rules === undefined) === (o.bundle === undefined)) {
      throw new CommanderError(2, 'falcoc.usage', 'error: give either -r <rules…> or --bundle <path>');
    }
    try {
      const r = await benchSession({
        capture, overrides: o.option, log: err,
        ...(o.rules ? { rules: o.rules } : {}),
        ...(o.bundle ? { bundle: o.bundle } : {}),
        ...(o.verifyKey ? { verifyKey: o.verifyKey } : {}),
        ...(o.config ? { configFile: o.config } : {}),
      });
      if (r.report) out(o.json ? benchJson(r.report) : formatBenchText(r.report));
      process.exitCode = r.exitCode;
    } catch (e) {
      if (!(e instanceof ConfigError || e instanceof RuleEngineError || e instanceof BundleLoadError || e instanceof CaptureError || (e as NodeJS.ErrnoException).code)) throw e;
      err(`falcoc: ${(e as Error).message}`);
      process.exitCode = 1;
    }
  });

export async function main(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; anything else is a usage error (commander printed its own).
      if (e.code === 'falcoc.usage') err(e.message);
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    err(`falcoc: internal error: ${(e as Error).stack ?? String(e)}`);
    err('falcoc: this is a bug; please report it with the command line and the rules that triggered it');
    process.exitCode = 70;
  }
}
