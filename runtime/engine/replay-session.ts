// `falcoc replay`: engine settings (falco.yaml + -o), rules, a capture; alerts out in Falco's
// text or JSON lines, then a summary. Everything the CLI does, as one function with options.
import { hostname as osHostname } from 'node:os';
import { writeFileSync } from 'node:fs';
import type { EngineConfig } from '../config/engine-config.ts';
import { formatAlert, type AlertSettings } from '../format/alert.ts';
import { alertingEngine, type SessionInput } from './session-setup.ts';
import { openOutputs } from '../outputs/outputs.ts';
import { AlertGate } from '../outputs/alert-gate.ts';
import { replayCapture, type ReplaySummary } from './replay.ts';
import type { CaptureProgress } from '../capture/capture-reader.ts';
import { SyscallFieldSource } from '../extract/registry.ts';

/** `rules` are interpreted; `bundle` runs compiled. */
export interface ReplaySessionOptions extends SessionInput {
  /** Same as `-o json_output=true`. */
  json?: boolean;
  summaryFile?: string;
  /** Alert lines go here (stdout in the CLI). */
  write(line: string): void;
  /** Show a progress bar (the CLI passes stderr.isTTY). */
  progress?: boolean;
}

export interface ReplaySessionResult {
  exitCode: 0 | 1;
  summary?: ReplaySummary;
}

/** Falco takes the alert hostname from FALCO_HOSTNAME, else the machine's. */
export function alertHostname(): string {
  return process.env.FALCO_HOSTNAME || osHostname();
}

export function settingsOf(c: EngineConfig): AlertSettings {
  return {
    jsonOutput: c.jsonOutput,
    jsonIncludeOutputProperty: c.jsonIncludeOutputProperty,
    jsonIncludeMessageProperty: c.jsonIncludeMessageProperty,
    jsonIncludeOutputFieldsProperty: c.jsonIncludeOutputFieldsProperty,
    jsonIncludeTagsProperty: c.jsonIncludeTagsProperty,
    timeFormatIso8601: c.timeFormatIso8601,
  };
}

export async function replaySession(o: ReplaySessionOptions): Promise<ReplaySessionResult> {
  const built = await alertingEngine(o);
  if (!built) return { exitCode: 1 };
  const { engine, config } = built;
  const settings = settingsOf(config);
  const host = alertHostname();
  const outputs = await openOutputs(config.outputs, { write: (t) => o.write(t), log: o.log, json: settings.jsonOutput, hostname: host });
  const reopen = () => outputs.reopen();
  const gate = new AlertGate(config.gate);
  process.on('SIGHUP', reopen);
  const bar = o.progress ? progressBar() : undefined;
  const summary = await replayCapture(o.capture, {
    engine,
    hostname: host,
    fieldSource: (state, view) => new SyscallFieldSource({ state, view }),
    onAlert(a) {
      if (gate.active && !gate.admit(a)) return;
      outputs.alert(formatAlert(a, settings), a);
    },
    ...(bar ? { onProgress: bar.update } : {}),
  });
  bar?.done();
  await outputs.close();
  process.off('SIGHUP', reopen);
  if (gate.summary()) o.log(gate.summary());
  const broken = summary.error;
  // A file that fails before its first event is not a capture: no summary, just the reason.
  if (!broken || summary.eventsRead > 0) o.log(formatSummary(summary));
  if (o.summaryFile) writeFileSync(o.summaryFile, JSON.stringify(summaryJson(summary), null, 2) + '\n');
  if (broken) {
    o.log(`falcoc: ${broken.message}`);
    o.log(
      summary.eventsRead > 0
        ? `falcoc: the capture is damaged; the events before byte ${broken.offset} were replayed and their alerts printed`
        : 'falcoc: no events were read; check that the file is a Falco capture (.scap, or .scap.gz)',
    );
    return { exitCode: 1, summary };
  }
  return { exitCode: 0, summary };
}

export function summaryJson(s: ReplaySummary): Record<string, unknown> {
  return {
    events: s.events,
    events_read: s.eventsRead,
    events_by_type: s.eventsByType,
    alerts: s.alerts,
    alerts_by_rule: s.alertsByRule,
    elapsed_s: Number(s.elapsedS.toFixed(6)),
    events_per_s: Math.round(s.eventsPerS),
    threads: s.threads,
    state: s.stateCounters,
    ...(s.error ? { error: { message: s.error.message, offset: s.error.offset } } : {}),
  };
}

export function formatSummary(s: ReplaySummary): string {
  const lines = [
    `Events read: ${s.events} (${s.eventsRead} records), ${s.elapsedS.toFixed(3)} s, ${Math.round(s.eventsPerS)} events/s`,
    `Alerts: ${s.alerts}`,
  ];
  const rules = Object.entries(s.alertsByRule).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (rules.length) lines.push('Alerts by rule:', ...rules.map(([r, n]) => `   ${r}: ${n}`));
  const types = Object.entries(s.eventsByType).sort((a, b) => b[1] - a[1]);
  const shown = types.slice(0, 12).map(([t, n]) => `${t} ${n}`);
  if (types.length) lines.push(`Events by type: ${shown.join(', ')}${types.length > 12 ? `, … ${types.length - 12} more types` : ''}`);
  return lines.join('\n');
}

/** A one-line progress bar on the terminal, redrawn at most 10 times a second. */
function progressBar() {
  let last = 0;
  const started = Date.now();
  return {
    update(p: CaptureProgress & { events: number; alerts: number }) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const frac = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
      const width = 30;
      const filled = Math.round(frac * width);
      const rate = Math.round(p.events / Math.max(0.001, (now - started) / 1000));
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.events} events  ${p.alerts} alerts  ${rate} ev/s `);
    },
    done() {
      if (last) process.stderr.write('\r\x1b[K');
    },
  };
}
