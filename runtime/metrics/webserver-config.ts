// falco.yaml's `webserver` and `metrics` sections, read as Falco 0.44 reads them. An absent key
// takes the value of the falco.yaml Falco ships (webserver enabled on 0.0.0.0:8765, metrics
// off), like the rest of runtime/config; `-o webserver.enabled=false` turns the server off.
import { isIP } from 'node:net';
import { ConfigError } from '../config/config-error.ts';
import { bool, section } from '../config/config-values.ts';

/** metrics.*_enabled: which families /metrics carries (Falco's METRICS_V2 flags). */
export interface MetricsCategories {
  rulesCounters: boolean;
  resourceUtilization: boolean;
  stateCounters: boolean;
  kernelEventCounters: boolean;
  /** Accepted; falcoc has no libbpf program statistics to report. */
  libbpfStats: boolean;
}

export interface MetricsConfig extends MetricsCategories {
  enabled: boolean;
  /** metrics.interval in milliseconds (periodic metrics output; not used by /metrics). */
  intervalMs: number;
  outputRule: boolean;
  outputFile?: string;
  convertMemoryToMb: boolean;
  includeEmptyValues: boolean;
}

export interface WebserverConfig {
  listenAddress: string;
  listenPort: number;
  /** Accepted for Falco compatibility; Node serves from its one event loop. */
  threadiness: number;
  healthzEndpoint: string;
  /** ssl_enabled: serve HTTPS with this PEM (private key and certificate in one file). */
  sslCertificate?: string;
  /** webserver.prometheus_metrics_enabled as written (kept to explain a /metrics that is off). */
  prometheusMetricsEnabled: boolean;
  /** /metrics is served: metrics.enabled and webserver.prometheus_metrics_enabled, as Falco. */
  serveMetrics: boolean;
  metrics: MetricsConfig;
}

const wholeNumber = (v: unknown, key: string, dflt: number, max: number): number => {
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    throw new ConfigError(`config: '${key}' must be a whole number from 0 to ${max}, not ${JSON.stringify(v)}`);
  }
  return n;
};

const text = (v: unknown, key: string, dflt: string): string => {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'string' && typeof v !== 'number') throw new ConfigError(`config: '${key}' must be a string, not ${JSON.stringify(v)}`);
  return String(v);
};

const UNIT_MS: Readonly<Record<string, number>> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** A Prometheus duration as Falco takes metrics.interval (`1h`, `15m`, `1m30s`, `500ms`; units in
 * the order y w d h m s ms); undefined when it is not one. */
export function parsePrometheusInterval(s: string): number | undefined {
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(s.replace(/\s+/g, ''));
  if (!m || s.trim() === '') return undefined;
  const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  return units.reduce((ms, u, i) => ms + Number(m[i + 1] ?? 0) * UNIT_MS[u]!, 0);
}

export function metricsConfigOf(raw: Record<string, unknown>): MetricsConfig {
  const m = section(raw, 'metrics');
  const enabled = bool(m.enabled, 'metrics.enabled', false);
  const interval = text(m.interval, 'metrics.interval', '1h');
  const intervalMs = parsePrometheusInterval(interval);
  if (enabled && (intervalMs === undefined || intervalMs < 100)) {
    throw new ConfigError(`config: 'metrics.interval' must be a Prometheus duration of at least 100ms (1h, 15m, 30s), not ${JSON.stringify(interval)}`);
  }
  const outputFile = text(m.output_file, 'metrics.output_file', '');
  return {
    enabled,
    intervalMs: intervalMs ?? 0,
    outputRule: bool(m.output_rule, 'metrics.output_rule', true),
    ...(outputFile ? { outputFile } : {}),
    rulesCounters: bool(m.rules_counters_enabled, 'metrics.rules_counters_enabled', true),
    resourceUtilization: bool(m.resource_utilization_enabled, 'metrics.resource_utilization_enabled', true),
    stateCounters: bool(m.state_counters_enabled, 'metrics.state_counters_enabled', true),
    kernelEventCounters: bool(m.kernel_event_counters_enabled, 'metrics.kernel_event_counters_enabled', true),
    libbpfStats: bool(m.libbpf_stats_enabled, 'metrics.libbpf_stats_enabled', true),
    convertMemoryToMb: bool(m.convert_memory_to_mb, 'metrics.convert_memory_to_mb', true),
    includeEmptyValues: bool(m.include_empty_values, 'metrics.include_empty_values', false),
  };
}

/** The webserver as configured; undefined when `webserver.enabled` is false. */
export function webserverConfigOf(raw: Record<string, unknown>): WebserverConfig | undefined {
  const w = section(raw, 'webserver');
  const metrics = metricsConfigOf(raw);
  if (!bool(w.enabled, 'webserver.enabled', true)) return undefined;
  const listenAddress = text(w.listen_address, 'webserver.listen_address', '0.0.0.0');
  if (isIP(listenAddress) === 0) {
    throw new ConfigError(`config: 'webserver.listen_address' must be an IPv4 or IPv6 address (0.0.0.0 for all, 127.0.0.1 for this host only), not ${JSON.stringify(listenAddress)}`);
  }
  const healthzEndpoint = text(w.k8s_healthz_endpoint, 'webserver.k8s_healthz_endpoint', '/healthz');
  if (!/^\/\S*$/.test(healthzEndpoint)) {
    throw new ConfigError(`config: 'webserver.k8s_healthz_endpoint' must be a path starting with '/', not ${JSON.stringify(healthzEndpoint)}`);
  }
  const sslEnabled = bool(w.ssl_enabled, 'webserver.ssl_enabled', false);
  const sslCertificate = text(w.ssl_certificate, 'webserver.ssl_certificate', '/etc/falco/falco.pem');
  if (sslEnabled && sslCertificate === '') throw new ConfigError(`config: 'webserver.ssl_certificate' must name a PEM file when webserver.ssl_enabled is true`);
  const prometheusMetricsEnabled = bool(w.prometheus_metrics_enabled, 'webserver.prometheus_metrics_enabled', false);
  return {
    listenAddress,
    listenPort: wholeNumber(w.listen_port, 'webserver.listen_port', 8765, 65535),
    threadiness: wholeNumber(w.threadiness, 'webserver.threadiness', 0, 1024),
    healthzEndpoint,
    ...(sslEnabled ? { sslCertificate } : {}),
    prometheusMetricsEnabled,
    serveMetrics: metrics.enabled && prometheusMetricsEnabled,
    metrics,
  };
}
