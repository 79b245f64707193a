// `falcoc run`: live detection. The driver is attached first (its ring buffer holds what
// happens meanwhile), the state is seeded from /proc as replay seeds it from a capture's head
// tables, then every event goes through the same parser, field extraction and engine (rules
// interpreted, or a compiled bundle) as in replay, and alerts are printed as replay prints them.
import { formatAlert, type Alert } from '../format/alert.ts';
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
import { scanProc } from './proc-scan.ts';
import { LiveSession } from './live-session.ts';
import { PluginInputs } from './plugin-inputs.ts';
import { startWebserver, type Webserver } from '../metrics/webserver.ts';
import type { MetricsSnapshot } from '../metrics/metrics-snapshot.ts';
import { RuleMatches } from '../engine/rule-matches.ts';
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

/** What a run's alerts go through: the outputs (opened first: a gRPC server that cannot listen
 * stops the start), storm control, and the plugin sources falco.yaml loads (audit and GitHub
 * webhooks), which feed the same outputs. On failure, what was opened is closed again. */
export async function openRunOutputs(o: RunOptions, built: NonNullable<Awaited<ReturnType<typeof alertingEngine>>>): Promise<{ outputs: Outputs; gate: AlertGate; inputs: PluginInputs }> {
  const outputs = await openOutputs(built.config.outputs, { write: (t) => o.write(t), log: o.log, json: built.config.jsonOutput, hostname: alertHostname() });
  const gate = new AlertGate(built.config.gate);
  try {
    const inputs = await PluginInputs.start({ ...built, hostname: alertHostname(), emit: admitTo(gate, outputs), drain: () => outputs.drain(), log: o.log });
    return { outputs, gate, inputs };
  } catch (e) {
    await outputs.close();
    throw e;
  }
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
  /** Matches per rule (before rate limit and dedup), for the summary and /metrics. */
  private readonly matches = new RuleMatches();
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
    // Before anything attaches.
    const { outputs, gate, inputs } = await openRunOutputs(o, built);
    let run: LiveRun;
    try {
      run = new LiveRun(o, built.engine, outputs, gate, inputs);
    } catch (e) {
      await inputs.close();
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
    const emit = admitTo(this.gate, outputs);
    const onMatch = (r: MatchedRule) => {
      const a = engine.alertFor(r, view.ts, src, host);
      this.matches.add(a);
      emit(formatAlert(a, settings), a);
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
    return `falcoc run: ${this.events.toLocaleString('en-US')} events (${Math.round(this.events / t)}/s), ${this.matches.total} alerts, drops ${this.driver.stats().drops}${trouble}`;
  }

  /** What /metrics shows now (counters kept anyway; read, not copied, except the outputs'). */
  metrics(): MetricsSnapshot {
    const driver = this.driver.stats();
    const plugin = this.inputs.eventsBySource();
    const state = this.state;
    let fds = 0;
    if (state) for (const t of state.threads.values()) if (t.tid === t.pid) fds += t.fds.fds.size;
    return {
      version: FALCOC_VERSION,
      startNs: this.startNs,
      events: driver.events,
      drops: { total: driver.drops },
      eventsBySource: { syscall: this.events, ...plugin },
      engines: [{ source: 'syscall', engine: 'falcoc_bpf' }, ...Object.keys(plugin).map((source) => ({ source, engine: 'source_plugin' }))],
      ruleMatches: [...this.matches.values(), ...this.inputs.matches()],
      outputs: this.outputs.stats(),
      suppressed: this.gate.stats,
      ...(state
        ? {
            state: {
              threads: state.threads.size,
              fds,
              addedThreads: state.counters.threadsAdded,
              removedThreads: state.counters.threadsRemoved + state.counters.threadsEvicted,
              threadTableDrops: state.counters.threadsRefused,
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
    return {
      events: this.events,
      alerts: this.matches.total + this.inputs.alerts,
      alertsByRule: { ...this.matches.byRule(), ...this.inputs.alertsByRule },
      eventsByType,
      elapsedS: this.elapsedS(),
      driver: this.driver.stats(),
      outputs: this.outputs.stats(),
      suppressed: this.gate.stats,
      sources: this.inputs.summaryLines(),
    };
  }
}
