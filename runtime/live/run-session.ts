// `falcoc run`: live detection. The driver is attached first (its ring buffer holds what
// happens meanwhile), the state is seeded from /proc as replay seeds it from a capture's head
// tables, then every event goes through the same parser, field extraction and engine (rules
// interpreted, or a compiled bundle) as in replay, and alerts are printed as replay prints them.
import { alertJson, alertLine, type Alert } from '../format/alert.ts';
import type { MatchedRule, RuleEngine } from '../engine/rule-engine.ts';
import { alertingEngine, type SessionInput } from '../engine/session-setup.ts';
import { alertHostname, settingsOf } from '../engine/replay-session.ts';
import { seedingHandlers } from '../engine/replay.ts';
import { SyscallFieldSource } from '../extract/registry.ts';
import { EventView } from '../events/event-view.ts';
import { EVENTS } from '../events/event-table.ts';
import { SystemState } from '../state/system-state.ts';
import { EventParser } from '../state/event-parser.ts';
import type { DriverStats } from './native-driver.ts';
import { syscallsForRules } from './capture-set.ts';
import { openOutputs, type Outputs } from '../outputs/outputs.ts';
import type { SinkStats } from '../outputs/alert-sink.ts';
import { AlertGate, type GateStats } from '../outputs/alert-gate.ts';
import type { EngineConfig } from '../config/engine-config.ts';
import { scanProc } from './proc-scan.ts';
import { LiveSession } from './live-session.ts';
import { PluginInputs } from './plugin-inputs.ts';
import { startWebserver, type Webserver } from '../metrics/webserver.ts';
import type { MetricsSnapshot, RuleMatchCount } from '../metrics/metrics-snapshot.ts';
import { FALCOC_VERSION } from '../../compiler/version.ts';

export interface RunOptions extends Omit<SessionInput, 'capture'> {
  json?: boolean;
  /** Seconds; undefined: until stop() (SIGINT/SIGTERM in the CLI). */
  durationS?: number;
  /** A stats line to `log` every this many seconds (0: never; default 60). */
  statsEveryS?: number;
  /** Alert lines (stdout in the CLI). */
  write(line: string): void;
}

export interface RunSummary {
  events: number;
  alerts: number;
  alertsByRule: Record<string, number>;
  eventsByType: Record<string, number>;
  elapsedS: number;
  driver: DriverStats;
  /** Per output: alerts sent, failed, dropped (queued outputs). */
  outputs: Record<string, SinkStats>;
  /** Alerts held back by falcoc.rate_limit / falcoc.dedup. */
  suppressed: GateStats;
  /** One line per plugin source taken live (events, alerts, refused requests). */
  sources: string[];
}

/** An alert through storm control to the outputs. */
export function admitTo(gate: AlertGate, outputs: Outputs): (text: string, a: Alert) => void {
  return (text, a) => {
    if (gate.active && !gate.admit(a)) return;
    outputs.alert(text, a);
  };
}

export class LiveRun extends LiveSession {
  private events = 0;
  private alerts = 0;
  private readonly alertsByRule: Record<string, number> = {};
  /** Matches per rule with the labels /metrics gives them (before rate limit and dedup). */
  private readonly matches = new Map<string, RuleMatchCount>();
  private readonly startNs = BigInt(Date.now()) * 1_000_000n;
  private state: SystemState | undefined;
  private webserver: Webserver | undefined;
  private readonly typeCounts = new Float64Array(EVENTS.length);

  private readonly outputs: Outputs;
  private readonly gate: AlertGate;
  private readonly reopen = () => this.outputs.reopen();

  private constructor(private readonly o: RunOptions, engine: RuleEngine, outputs: Outputs, gate: AlertGate, private readonly inputs: PluginInputs) {
    super({ syscalls: syscallsForRules((code) => engine.wants(code)) });
    this.gate = gate;
    this.outputs = outputs;
    // SIGHUP: outputs reopen their files (rotation), as Falco's do.
    process.on('SIGHUP', this.reopen);
  }

  /** Loads the rules, attaches, seeds the state and starts; undefined when the rules did not load. */
  static async start(o: RunOptions): Promise<LiveRun | undefined> {
    const built = await alertingEngine({ ...o, capture: '' });
    if (!built) return undefined;
    // Outputs first: a gRPC server that cannot listen stops the start before anything attaches.
    const outputs = await openOutputs(built.config.outputs, { write: (t) => o.write(t), log: o.log, json: built.config.jsonOutput, hostname: alertHostname() });
    const gate = new AlertGate(built.config.gate);
    let inputs: PluginInputs | undefined;
    let run: LiveRun;
    try {
      // The plugin sources falco.yaml loads (audit and GitHub webhooks), into the same outputs.
      inputs = await PluginInputs.start({ ...built, hostname: alertHostname(), emit: admitTo(gate, outputs), drain: () => outputs.drain(), log: o.log });
      run = new LiveRun(o, built.engine, outputs, gate, inputs);
    } catch (e) {
      await inputs?.close();
      await outputs.close();
      throw e;
    }
    run.run(built.engine, settingsOf(built.config));
    if (built.config.webserver) {
      // Health and metrics are a side job: a port in use is said loudly, detection goes on.
      try {
        run.webserver = await startWebserver(built.config.webserver, () => run.metrics(), o.log);
      } catch (e) {
        o.log(`falcoc: ${(e as Error).message} (detection continues without it)`);
      }
    }
    return run;
  }

  private run(engine: RuleEngine, settings: ReturnType<typeof settingsOf>): void {
    const state = (this.state = new SystemState());
    const seed = seedingHandlers(state);
    const snap = scanProc(new Set([process.pid]));
    seed.machineInfo!(snap.machine);
    for (const t of snap.threads) seed.thread!(t);
    for (const f of snap.fds) seed.fd!(f);
    for (const u of snap.users) seed.user!(u);
    for (const g of snap.groups) seed.group!(g);
    seed.tablesDone!();
    const parser = new EventParser(state);
    const view = new EventView();
    const src = new SyscallFieldSource({ state, view });
    const host = alertHostname();
    const outputs = this.outputs;
    const gate = this.gate;
    const onMatch = (r: MatchedRule) => {
      this.alerts++;
      this.alertsByRule[r.name] = (this.alertsByRule[r.name] ?? 0) + 1;
      const a = engine.alertFor(r, view.ts, src, host);
      const m = this.matches.get(a.rule);
      if (m) m.count++;
      else this.matches.set(a.rule, { rule: a.rule, priority: a.priority, source: a.source, tags: a.tags, count: 1 });
      if (gate.active && !gate.admit(a)) return;
      outputs.alert((settings.jsonOutput ? alertJson(a, settings) : alertLine(a, settings)) + '\n', a);
    };
    this.begin(
      (bytes) => {
        for (let off = 0; off < bytes.length; off += view.length) {
          view.reset(bytes, off, bytes.length - off);
          if (!parser.process(view)) continue;
          this.events++;
          const code = view.type;
          this.typeCounts[code]!++;
          if (engine.wants(code)) engine.evaluate(code, src, onMatch);
        }
        // Alerts of a batch leave together, right after it: never held past the batch.
        outputs.drain();
      },
      { ...(this.o.durationS !== undefined ? { durationS: this.o.durationS } : {}), everyS: this.o.statsEveryS ?? 60, status: this.o.log },
    );
  }

  protected statusLine(): string {
    const t = this.elapsedS();
    // Output trouble shows once there is some: failed or dropped alerts per output.
    const trouble = Object.entries(this.outputs.stats())
      .filter(([, st]) => st.failed > 0 || (st.dropped ?? 0) > 0)
      .map(([name, st]) => `, ${name} output: ${st.failed} failed, ${st.dropped ?? 0} dropped`)
      .join('');
    return `falcoc run: ${this.events.toLocaleString('en-US')} events (${Math.round(this.events / t)}/s), ${this.alerts} alerts, drops ${this.driver.stats().drops}${trouble}`;
  }

  /** What /metrics shows now (counters kept anyway; read, not copied, except the outputs'). */
  metrics(): MetricsSnapshot {
    const driver = this.driver.stats();
    let fds = 0;
    const threads = this.state?.threads;
    if (threads) for (const t of threads.values()) if (t.tid === t.pid) fds += t.fds.fds.size;
    return {
      version: FALCOC_VERSION,
      startNs: this.startNs,
      events: driver.events,
      drops: { total: driver.drops },
      eventsBySource: { syscall: this.events, ...this.inputs.eventsBySource() },
      engines: [{ source: 'syscall', engine: 'falcoc_bpf' }, ...Object.keys(this.inputs.eventsBySource()).map((source) => ({ source, engine: 'source_plugin' }))],
      ruleMatches: [...this.matches.values(), ...this.inputs.matches.values()],
      outputs: this.outputs.stats(),
      suppressed: this.gate.stats,
      ...(threads && this.state
        ? {
            state: {
              threads: threads.size,
              fds,
              addedThreads: this.state.counters.threadsAdded,
              removedThreads: this.state.counters.threadsRemoved + this.state.counters.threadsEvicted,
              threadTableDrops: this.state.counters.threadsRefused,
            },
          }
        : {}),
    };
  }

  /** Resolves once the driver is drained and every alert written. */
  async finished(): Promise<RunSummary> {
    await this.drained();
    await this.inputs.close();
    await this.webserver?.close();
    await this.outputs.close();
    process.off('SIGHUP', this.reopen);
    const eventsByType: Record<string, number> = {};
    this.typeCounts.forEach((n, code) => {
      if (n > 0) eventsByType[EVENTS[code]!.name] = (eventsByType[EVENTS[code]!.name] ?? 0) + n;
    });
    const plugin = this.inputs.alertsByRule;
    return {
      events: this.events,
      alerts: this.alerts + Object.values(plugin).reduce((a, b) => a + b, 0),
      alertsByRule: { ...this.alertsByRule, ...plugin },
      eventsByType,
      elapsedS: this.elapsedS(),
      driver: this.driver.stats(),
      outputs: this.outputs.stats(),
      suppressed: this.gate.stats,
      sources: this.inputs.summaryLines(),
    };
  }
}
