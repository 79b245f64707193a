// The plugin sources `falcoc run` takes live beside (or instead of) syscalls: the webhooks of
// the plugins falco.yaml loads (k8saudit, github). Each source has its own rules engine and
// detector; alerts go to the same outputs and storm control as the syscall alerts, tagged with
// their source.
import type { Ruleset } from '../../compiler/resolve/ruleset.ts';
import type { EngineConfig } from '../config/engine-config.ts';
import { livePluginsOf } from '../config/plugins-config.ts';
import type { ExtraOutputs } from '../engine/append-output.ts';
import type { BundleModule } from '../engine/bundle-abi.ts';
import { makePluginEngine, SourceDetector } from '../engine/source-replay.ts';
import type { Alert } from '../format/alert.ts';
import type { JsonNode } from '../sources/json-doc.ts';
import { DocumentEvent } from '../sources/file-input.ts';
import { PLUGIN_SOURCES } from '../sources/sources.ts';
import { startGithubWebhook, startK8sAuditWebhook } from '../sources/webhook/source-webhooks.ts';
import type { Webhook } from '../sources/webhook/webhook-server.ts';
import type { RuleMatchCount } from '../metrics/metrics-snapshot.ts';

export interface PluginInputsSetup {
  config: EngineConfig;
  extras: ExtraOutputs;
  /** The rules files' ruleset, or … */
  ruleset?: Ruleset | undefined;
  /** … the compiled bundle (its plugin sources' evaluators). */
  bundle?: BundleModule | undefined;
  hostname: string;
  /** Alerts, already formatted (the caller applies storm control and the outputs). */
  emit(text: string, a: Alert): void;
  /** After each request's events: the outputs' hand-off. */
  drain(): void;
  log(line: string): void;
}

export class PluginInputs {
  private constructor(private readonly hooks: { source: string; hook: Webhook; detector: SourceDetector }[]) {}

  /** Matches per rule of every source, with the labels /metrics gives them. */
  matches(): RuleMatchCount[] {
    return this.hooks.flatMap((h) => [...h.detector.matches.values()]);
  }

  /** Alerts raised by every source. */
  get alerts(): number {
    return this.hooks.reduce((n, h) => n + h.detector.matches.total, 0);
  }

  /** Events taken per plugin source. */
  eventsBySource(): Record<string, number> {
    return Object.fromEntries(this.hooks.map((h) => [h.source, h.detector.events]));
  }

  /** Sources falco.yaml loads plugins for (none: nothing starts). */
  static wanted(config: EngineConfig): string[] {
    const live = livePluginsOf(config.raw);
    return [...(live.k8sAudit ? ['k8s_audit'] : []), ...(live.github ? ['github'] : [])];
  }

  static async start(s: PluginInputsSetup): Promise<PluginInputs> {
    const live = livePluginsOf(s.config.raw);
    const hooks: { source: string; hook: Webhook; detector: SourceDetector }[] = [];
    const detectorFor = (source: string) => {
      const engine = makePluginEngine(source, s.bundle ? { bundle: s.bundle } : { ruleset: s.ruleset! }, s.config, s.extras);
      const def = PLUGIN_SOURCES.get(source)!;
      const detector = new SourceDetector(engine, def, s.config, s.hostname, s.emit);
      let num = 0;
      const onEvents = (docs: readonly JsonNode[]) => {
        for (const d of docs) detector.process(new DocumentEvent(++num, def.time?.(d) ?? BigInt(Date.now()) * 1_000_000n, source, d));
        s.drain();
      };
      return { detector, onEvents };
    };
    if (!s.ruleset && !s.bundle && (live.k8sAudit || live.github)) {
      s.log('falcoc: no rules for the plugin sources: the k8saudit/github webhooks are not started');
      return new PluginInputs([]);
    }
    try {
      if (live.k8sAudit) {
        const { detector, onEvents } = detectorFor('k8s_audit');
        const hook = await startK8sAuditWebhook({ ...live.k8sAudit, onEvents, log: s.log });
        hooks.push({ source: 'k8s_audit', hook, detector });
        s.log(`falcoc: k8s_audit: audit webhook listening on ${hook.url}`);
      }
      if (live.github) {
        const { detector, onEvents } = detectorFor('github');
        const hook = await startGithubWebhook({ ...live.github, onEvents, log: s.log });
        hooks.push({ source: 'github', hook, detector });
        s.log(`falcoc: github: webhook listening on ${hook.url}`);
      }
    } catch (e) {
      await Promise.all(hooks.map((h) => h.hook.close()));
      throw e;
    }
    return new PluginInputs(hooks);
  }

  /** Per source: events, alerts and refused requests. */
  summaryLines(): string[] {
    return this.hooks.map(({ source, hook, detector }) => {
      const refused = Object.entries(hook.counters.refused).map(([r, n]) => `${n} ${r}`).join(', ');
      return `   ${source}: ${detector.events} events, ${detector.matches.total} alerts, ${hook.counters.requests} requests${refused ? ` (refused: ${refused})` : ''}`;
    });
  }

  get alertsByRule(): Record<string, number> {
    return Object.assign({}, ...this.hooks.map((h) => h.detector.matches.byRule()));
  }

  async close(): Promise<void> {
    await Promise.all(this.hooks.map((h) => h.hook.close()));
  }
}
