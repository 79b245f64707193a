// `falcoc run --disable-source syscall`: plugin sources only (the audit and GitHub webhooks
// falco.yaml loads), no driver — so no root needed. Same outputs, storm control and summary as
// a run with syscalls.
import { alertingEngine } from '../engine/session-setup.ts';
import { ConfigError } from '../config/config-error.ts';
import type { Outputs } from '../outputs/outputs.ts';
import type { AlertGate } from '../outputs/alert-gate.ts';
import { PluginInputs } from './plugin-inputs.ts';
import { openRunOutputs, type RunOptions, type RunSummary } from './run-session.ts';

export class SourceRun {
  private stopped!: () => void;
  private readonly done = new Promise<void>((r) => (this.stopped = r));
  private readonly started = performance.now();
  private ticker: NodeJS.Timeout | undefined;

  private constructor(
    private readonly inputs: PluginInputs,
    private readonly outputs: Outputs,
    private readonly gate: AlertGate,
    durationS: number | undefined,
    statsEveryS: number,
    log: (line: string) => void,
  ) {
    if (durationS !== undefined) setTimeout(() => this.stop(), durationS * 1000).unref();
    // The status line of a run without syscalls: per source, what came in and what it raised.
    if (statsEveryS > 0) this.ticker = setInterval(() => log(`falcoc run: ${this.inputs.summaryLines().map((l) => l.trim()).join('; ')}`), statsEveryS * 1000).unref();
    // SIGHUP: outputs reopen their files (rotation), as in a run with syscalls.
    process.on('SIGHUP', this.reopen);
  }

  private readonly reopen = () => this.outputs.reopen();

  /** Undefined when the rules did not load; throws when no plugin source is loaded. */
  static async start(o: RunOptions): Promise<SourceRun | undefined> {
    const built = await alertingEngine({ ...o, capture: '' });
    if (!built) return undefined;
    if (PluginInputs.wanted(built.config).length === 0) {
      throw new ConfigError('nothing to run: the syscall source is disabled and falco.yaml loads no plugin with a live input (load_plugins: [k8saudit] or [github], with their plugins entries)');
    }
    const { outputs, gate, inputs } = await openRunOutputs(o, built);
    return new SourceRun(inputs, outputs, gate, o.durationS, o.statsEveryS ?? 60, o.log);
  }

  stop(): void {
    this.stopped();
  }

  async finished(): Promise<RunSummary> {
    await this.done;
    clearInterval(this.ticker);
    await this.inputs.close();
    await this.outputs.close();
    process.off('SIGHUP', this.reopen);
    return {
      events: 0,
      alerts: this.inputs.alerts,
      alertsByRule: this.inputs.alertsByRule,
      eventsByType: {},
      elapsedS: (performance.now() - this.started) / 1000,
      driver: { events: 0, drops: 0, truncated: 0, batches: 0, waits: 0 },
      outputs: this.outputs.stats(),
      suppressed: this.gate.stats,
      sources: this.inputs.summaryLines(),
    };
  }
}
