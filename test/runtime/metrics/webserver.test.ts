// The webserver on loopback, over real HTTP(S): Falco's healthz answer, /versions, the exact
// Prometheus text of a known snapshot (names, labels, escaping), /metrics only when both
// metrics.enabled and webserver.prometheus_metrics_enabled are on, 405 on other methods, HTTPS
// from one PEM made by openssl, a clear error when the port is taken, config errors by key.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebserver, HEALTHZ_BODY, type Webserver } from '../../../runtime/metrics/webserver.ts';
import { webserverConfigOf, parsePrometheusInterval, type WebserverConfig } from '../../../runtime/metrics/webserver-config.ts';
import { renderPrometheus, processFacts, PROMETHEUS_CONTENT_TYPE, type ProcessFacts } from '../../../runtime/metrics/prometheus.ts';
import type { MetricsSnapshot } from '../../../runtime/metrics/metrics-snapshot.ts';
import { ConfigError } from '../../../runtime/config/engine-config.ts';

const started: Webserver[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.close()));
});

const START = 1_700_000_000_000_000_000n;

const SNAPSHOT: MetricsSnapshot = {
  version: '0.44.0',
  startNs: START,
  reloadNs: START + 1_000_000_000n,
  events: 12345,
  drops: { total: 7, byKind: { open: 4, clone_fork: 3 }, scratchMap: 0 },
  eventsBySource: { syscall: 12000 },
  engines: [{ source: 'syscall', engine: 'modern_bpf' }],
  ruleMatches: [
    { rule: 'Terminal shell in container', priority: 'Notice', source: 'syscall', tags: ['container', 'shell', 'mitre_execution', 'T1059'], count: 2 },
    { rule: 'Quote "me" \\ back\nslash', priority: 'WARNING', source: 'syscall', tags: ['maturity-stable'], count: 1 },
    { rule: 'Never matched', priority: 'Debug', source: 'syscall', tags: [], count: 0 },
  ],
  outputs: { stdout: { sent: 3, failed: 0 }, http: { sent: 1, failed: 1, dropped: 2, queued: 5 } },
  suppressed: { rateLimited: 4, deduplicated: 6 },
  state: { threads: 300, fds: 4000, addedThreads: 10 },
  rulesFiles: [{ file: '/etc/falco/falco_rules.yaml', sha256: 'ab12' }],
};

const FACTS: ProcessFacts = {
  nowNs: START + 90_500_000_000n,
  rssBytes: 50_000_000,
  vszBytes: 1_000_000_000,
  cpuUserS: 1.5,
  cpuSystemS: 0.25,
  cpuUsageRatio: 0.012,
  hostname: 'vm',
  kernelRelease: '6.8.0-test',
  numCpus: 4,
  bootNs: 1_699_000_000_000_000_000n,
  hostMemoryUsedBytes: 2_000_000_000,
  hostOpenFds: 1234,
  hostProcsRunning: 2,
  hostCpuUsageRatio: 0.25,
};

const EXPECTED = [
  "# HELP falcosecurity_falco_version_info Version falcoc reports as Falco's (label version), always 1.",
  '# TYPE falcosecurity_falco_version_info gauge',
  'falcosecurity_falco_version_info{version="0.44.0"} 1',
  '# HELP falcosecurity_falco_sha256_rules_files_info SHA-256 of each loaded rules file (labels file_name, sha256), always 1.',
  '# TYPE falcosecurity_falco_sha256_rules_files_info gauge',
  'falcosecurity_falco_sha256_rules_files_info{file_name="falco_rules.yaml",sha256="ab12"} 1',
  '# HELP falcosecurity_falco_outputs_queue_num_drops_total Alerts dropped because an output queue was full.',
  '# TYPE falcosecurity_falco_outputs_queue_num_drops_total counter',
  'falcosecurity_falco_outputs_queue_num_drops_total 2',
  '# HELP falcosecurity_falco_reload_timestamp_nanoseconds When configuration and rules were last loaded, nanoseconds since the epoch.',
  '# TYPE falcosecurity_falco_reload_timestamp_nanoseconds gauge',
  'falcosecurity_falco_reload_timestamp_nanoseconds 1700000001000000000',
  '# HELP falcosecurity_scap_engine_name_info Capture engine of each event source (labels engine_name, evt_source), always 1.',
  '# TYPE falcosecurity_scap_engine_name_info gauge',
  'falcosecurity_scap_engine_name_info{engine_name="modern_bpf",evt_source="syscall"} 1',
  "# HELP falcosecurity_falco_rules_matches_total Matches per rule (labels rule_name, priority as Falco's number 0 emergency .. 7 debug, source, tag_<tag>=\"true\").",
  '# TYPE falcosecurity_falco_rules_matches_total counter',
  'falcosecurity_falco_rules_matches_total{priority="4",rule_name="Quote \\"me\\" \\\\ back\\nslash",source="syscall",tag_maturity_stable="true"} 1',
  'falcosecurity_falco_rules_matches_total{priority="5",rule_name="Terminal shell in container",source="syscall",tag_T1059="true",tag_container="true",tag_mitre_execution="true",tag_shell="true"} 2',
  '# HELP falcosecurity_scap_n_evts_total Events the kernel side delivered.',
  '# TYPE falcosecurity_scap_n_evts_total counter',
  'falcosecurity_scap_n_evts_total 12345',
  '# HELP falcosecurity_scap_n_drops_total Events lost on the kernel side, all causes.',
  '# TYPE falcosecurity_scap_n_drops_total counter',
  'falcosecurity_scap_n_drops_total 7',
  '# HELP falcosecurity_scap_n_drops_buffer_total Events lost because the ring buffer was full (labels drop: kind of event, dir).',
  '# TYPE falcosecurity_scap_n_drops_buffer_total counter',
  'falcosecurity_scap_n_drops_buffer_total{dir="exit",drop="clone_fork"} 3',
  'falcosecurity_scap_n_drops_buffer_total{dir="exit",drop="open"} 4',
  '# HELP falcosecurity_scap_n_drops_scratch_map_total Events lost because they did not fit the kernel scratch space.',
  '# TYPE falcosecurity_scap_n_drops_scratch_map_total counter',
  'falcosecurity_scap_n_drops_scratch_map_total 0',
  '# HELP falcosecurity_falco_cpu_usage_ratio CPU time of this process over its wall time since start (1 = one full CPU).',
  '# TYPE falcosecurity_falco_cpu_usage_ratio gauge',
  'falcosecurity_falco_cpu_usage_ratio 0.012',
  '# HELP falcosecurity_falco_memory_rss_bytes Resident memory of this process.',
  '# TYPE falcosecurity_falco_memory_rss_bytes gauge',
  'falcosecurity_falco_memory_rss_bytes 50000000',
  '# HELP falcosecurity_falco_memory_vsz_bytes Virtual memory of this process.',
  '# TYPE falcosecurity_falco_memory_vsz_bytes gauge',
  'falcosecurity_falco_memory_vsz_bytes 1000000000',
  '# HELP falcosecurity_falco_host_cpu_usage_ratio Non-idle CPU share of the host since boot.',
  '# TYPE falcosecurity_falco_host_cpu_usage_ratio gauge',
  'falcosecurity_falco_host_cpu_usage_ratio 0.25',
  '# HELP falcosecurity_falco_host_memory_used_bytes Host memory in use (total - free - buffers - cached).',
  '# TYPE falcosecurity_falco_host_memory_used_bytes gauge',
  'falcosecurity_falco_host_memory_used_bytes 2000000000',
  '# HELP falcosecurity_falco_host_procs_running_total Processes running on the host now.',
  '# TYPE falcosecurity_falco_host_procs_running_total gauge',
  'falcosecurity_falco_host_procs_running_total 2',
  '# HELP falcosecurity_falco_host_open_fds_total File descriptors allocated on the host now.',
  '# TYPE falcosecurity_falco_host_open_fds_total gauge',
  'falcosecurity_falco_host_open_fds_total 1234',
  '# HELP falcosecurity_scap_n_threads_total Threads in the thread table now.',
  '# TYPE falcosecurity_scap_n_threads_total gauge',
  'falcosecurity_scap_n_threads_total 300',
  '# HELP falcosecurity_scap_n_fds_total File descriptors in all fd tables now.',
  '# TYPE falcosecurity_scap_n_fds_total gauge',
  'falcosecurity_scap_n_fds_total 4000',
  '# HELP falcosecurity_scap_n_added_threads_total Threads added to the thread table.',
  '# TYPE falcosecurity_scap_n_added_threads_total counter',
  'falcosecurity_scap_n_added_threads_total 10',
  '# HELP falcosecurity_falco_kernel_release_info Kernel release of the host (label kernel_release), always 1.',
  '# TYPE falcosecurity_falco_kernel_release_info gauge',
  'falcosecurity_falco_kernel_release_info{kernel_release="6.8.0-test"} 1',
  '# HELP falcosecurity_evt_hostname_info Host name alerts carry (label hostname), always 1.',
  '# TYPE falcosecurity_evt_hostname_info gauge',
  'falcosecurity_evt_hostname_info{hostname="vm"} 1',
  '# HELP falcosecurity_falco_start_timestamp_nanoseconds When this process started, nanoseconds since the epoch.',
  '# TYPE falcosecurity_falco_start_timestamp_nanoseconds gauge',
  'falcosecurity_falco_start_timestamp_nanoseconds 1700000000000000000',
  '# HELP falcosecurity_falco_host_boot_timestamp_nanoseconds When the host booted, nanoseconds since the epoch.',
  '# TYPE falcosecurity_falco_host_boot_timestamp_nanoseconds gauge',
  'falcosecurity_falco_host_boot_timestamp_nanoseconds 1699000000000000000',
  '# HELP falcosecurity_falco_host_num_cpus_total CPUs of the host.',
  '# TYPE falcosecurity_falco_host_num_cpus_total gauge',
  'falcosecurity_falco_host_num_cpus_total 4',
  '# HELP falcosecurity_falco_duration_seconds_total Seconds since this process started.',
  '# TYPE falcosecurity_falco_duration_seconds_total counter',
  'falcosecurity_falco_duration_seconds_total 90',
  '# HELP falcosecurity_falcoc_events_processed_total Events the rule engine processed, per event source (label source).',
  '# TYPE falcosecurity_falcoc_events_processed_total counter',
  'falcosecurity_falcoc_events_processed_total{source="syscall"} 12000',
  '# HELP falcosecurity_falcoc_output_alerts_sent_total Alerts an output handed on (label output).',
  '# TYPE falcosecurity_falcoc_output_alerts_sent_total counter',
  'falcosecurity_falcoc_output_alerts_sent_total{output="http"} 1',
  'falcosecurity_falcoc_output_alerts_sent_total{output="stdout"} 3',
  '# HELP falcosecurity_falcoc_output_alerts_failed_total Alerts an error kept from their destination (label output).',
  '# TYPE falcosecurity_falcoc_output_alerts_failed_total counter',
  'falcosecurity_falcoc_output_alerts_failed_total{output="http"} 1',
  'falcosecurity_falcoc_output_alerts_failed_total{output="stdout"} 0',
  "# HELP falcosecurity_falcoc_output_alerts_dropped_total Alerts refused because the output's queue was full (label output; queued outputs only).",
  '# TYPE falcosecurity_falcoc_output_alerts_dropped_total counter',
  'falcosecurity_falcoc_output_alerts_dropped_total{output="http"} 2',
  "# HELP falcosecurity_falcoc_output_queue_depth Alerts waiting in an output's queue now (label output; queued outputs only).",
  '# TYPE falcosecurity_falcoc_output_queue_depth gauge',
  'falcosecurity_falcoc_output_queue_depth{output="http"} 5',
  '# HELP falcosecurity_falcoc_alerts_suppressed_total Alerts held back by falcoc.rate_limit or falcoc.dedup (label reason: rate_limit, dedup).',
  '# TYPE falcosecurity_falcoc_alerts_suppressed_total counter',
  'falcosecurity_falcoc_alerts_suppressed_total{reason="dedup"} 6',
  'falcosecurity_falcoc_alerts_suppressed_total{reason="rate_limit"} 4',
  '# HELP falcosecurity_falcoc_cpu_seconds_total CPU time of this process (label mode: user, system).',
  '# TYPE falcosecurity_falcoc_cpu_seconds_total counter',
  'falcosecurity_falcoc_cpu_seconds_total{mode="system"} 0.25',
  'falcosecurity_falcoc_cpu_seconds_total{mode="user"} 1.5',
  '',
].join('\n');

interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

function get(url: string, o: { method?: string; ca?: Buffer } = {}): Promise<Answer> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(u, { method: o.method ?? 'GET', agent: false, ...(o.ca ? { ca: o.ca } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const config = (webserver: Record<string, unknown> = {}, metrics: Record<string, unknown> = { enabled: true }): WebserverConfig =>
  webserverConfigOf({ webserver: { listen_address: '127.0.0.1', listen_port: 0, prometheus_metrics_enabled: true, ...webserver }, metrics })!;

async function start(c: WebserverConfig, logs: string[] = [], snapshot: () => MetricsSnapshot = () => SNAPSHOT): Promise<Webserver> {
  const w = await startWebserver(c, snapshot, (l) => logs.push(l), { facts: () => FACTS });
  started.push(w);
  return w;
}

describe('Prometheus text', () => {
  it('renders Falco\'s names, types and labels, escaped, in a stable order', () => {
    expect(renderPrometheus(SNAPSHOT, FACTS)).toBe(EXPECTED);
    // Same input, same bytes, whatever order the runtime listed things in.
    const shuffled = { ...SNAPSHOT, ruleMatches: [...SNAPSHOT.ruleMatches].reverse(), outputs: { http: SNAPSHOT.outputs.http!, stdout: SNAPSHOT.outputs.stdout! } };
    expect(renderPrometheus(shuffled, FACTS)).toBe(EXPECTED);
  });

  it('leaves out the families metrics.*_enabled turns off', () => {
    const text = renderPrometheus(SNAPSHOT, FACTS, { rulesCounters: false, resourceUtilization: false, stateCounters: false, kernelEventCounters: false, libbpfStats: false });
    expect(text).not.toMatch(/rules_matches|n_evts|n_drops|memory_rss|cpu_usage_ratio|n_threads/);
    expect(text).toContain('falcosecurity_falco_version_info{version="0.44.0"} 1\n');
    expect(text).toContain('falcosecurity_falcoc_output_alerts_sent_total{output="http"} 1\n');
  });

  it('reads real process facts', () => {
    const p = processFacts();
    expect(p.rssBytes).toBeGreaterThan(1_000_000);
    expect(p.cpuUserS).toBeGreaterThan(0);
    expect(p.numCpus).toBeGreaterThan(0);
    expect(p.cpuUsageRatio).toBeGreaterThanOrEqual(0);
  });
});

describe('webserver', () => {
  it('answers healthz as Falco does, /versions as JSON, and /metrics with the snapshot', async () => {
    const logs: string[] = [];
    const w = await start(config(), logs);
    expect(w.url).toBe(`http://127.0.0.1:${w.port}`);
    expect(logs[0]).toMatch(/^Starting health webserver with threadiness \d+, listening on 127\.0\.0\.1:\d+$/);

    const health = await get(`${w.url}/healthz`);
    expect([health.status, health.headers['content-type'], health.body]).toEqual([200, 'application/json', HEALTHZ_BODY]);
    expect(health.body).toBe('{"status": "ok"}');

    const versions = await get(`${w.url}/versions`);
    expect(versions.headers['content-type']).toBe('application/json');
    expect(JSON.parse(versions.body)).toEqual({ engine_version: '63', engine_version_semver: '0.63.0', falco_version: '0.44.0' });

    const metrics = await get(`${w.url}/metrics?x=1`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(metrics.body).toBe(EXPECTED);

    const head = await get(`${w.url}/healthz`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('serves healthz on the configured path, 404 elsewhere, 405 for other methods', async () => {
    const w = await start(config({ k8s_healthz_endpoint: '/live' }));
    expect((await get(`${w.url}/live`)).body).toBe(HEALTHZ_BODY);
    expect((await get(`${w.url}/healthz`)).status).toBe(404);
    expect((await get(`${w.url}/nothing`)).status).toBe(404);
    const post = await get(`${w.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await get(`${w.url}/live`, { method: 'DELETE' })).status).toBe(405);
  });

  it('has no /metrics unless both metrics.enabled and webserver.prometheus_metrics_enabled are on', async () => {
    const off = await start(config({ prometheus_metrics_enabled: false }));
    expect((await get(`${off.url}/metrics`)).status).toBe(404);
    expect((await get(`${off.url}/healthz`)).status).toBe(200);

    const logs: string[] = [];
    const noMetrics = await start(config({}, { enabled: false }), logs);
    expect((await get(`${noMetrics.url}/metrics`)).status).toBe(404);
    expect(logs.some((l) => /prometheus_metrics_enabled is on but metrics\.enabled is off/.test(l))).toBe(true);
  });

  it('follows metrics.rules_counters_enabled and friends on /metrics', async () => {
    const w = await start(config({}, { enabled: true, rules_counters_enabled: false, resource_utilization_enabled: false }));
    const body = (await get(`${w.url}/metrics`)).body;
    expect(body).not.toContain('rules_matches_total');
    expect(body).not.toContain('memory_rss_bytes');
    expect(body).toContain('falcosecurity_scap_n_evts_total 12345\n');
  });

  it('answers 500 when the snapshot fails, says why once, and keeps serving', async () => {
    const logs: string[] = [];
    const w = await start(config(), logs, () => {
      throw new Error('not ready');
    });
    expect((await get(`${w.url}/metrics`)).status).toBe(500);
    expect((await get(`${w.url}/metrics`)).status).toBe(500);
    expect(logs.filter((l) => l.includes('not ready'))).toHaveLength(1);
    expect((await get(`${w.url}/healthz`)).status).toBe(200);
  });

  it('serves HTTPS from one PEM holding key and certificate, and refuses a PEM without the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falcoc-webserver-tls-'));
    const [key, cert, pem] = [join(dir, 'key.pem'), join(dir, 'cert.pem'), join(dir, 'falco.pem')];
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1']);
    expect(made.status, String(made.stderr)).toBe(0);
    writeFileSync(pem, Buffer.concat([readFileSync(key), readFileSync(cert)]));

    const logs: string[] = [];
    const w = await start(config({ ssl_enabled: true, ssl_certificate: pem }), logs);
    expect(w.url).toBe(`https://127.0.0.1:${w.port}`);
    expect(logs[0]).toMatch(/\(SSL\)$/);
    const health = await get(`${w.url}/healthz`, { ca: readFileSync(cert) });
    expect([health.status, health.body]).toEqual([200, HEALTHZ_BODY]);
    expect((await get(`${w.url}/metrics`, { ca: readFileSync(cert) })).body).toBe(EXPECTED);
    // Not trusted without the CA: the server really speaks TLS with that certificate.
    await expect(get(`${w.url}/healthz`)).rejects.toThrow(/self.signed|certificate/i);

    await expect(start(config({ ssl_enabled: true, ssl_certificate: cert }))).rejects.toThrow(/webserver\.ssl_certificate\) must be one PEM file holding the private key and the certificate/);
    await expect(start(config({ ssl_enabled: true, ssl_certificate: join(dir, 'missing.pem') }))).rejects.toThrow(/cannot read webserver\.ssl_certificate .*missing\.pem/);
  });

  it('says which address is taken and what to change when it cannot bind', async () => {
    const first = await start(config());
    const err = await start(config({ listen_port: first.port })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toBe(
      `webserver: cannot listen on 127.0.0.1:${first.port}: the address is already in use (another Falco or falcoc?); ` +
        'set webserver.listen_port (or webserver.listen_address), or turn the webserver off with webserver.enabled=false',
    );
    // The first server is unaffected.
    expect((await get(`${first.url}/healthz`)).status).toBe(200);
  });

  it('closes: the port is free again', async () => {
    const w = await startWebserver(config(), () => SNAPSHOT, () => {});
    await get(`${w.url}/healthz`);
    await w.close();
    await expect(get(`${w.url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('webserver config', () => {
  it('takes the stock falco.yaml values for absent keys', () => {
    expect(webserverConfigOf({})).toEqual({
      listenAddress: '0.0.0.0',
      listenPort: 8765,
      threadiness: 0,
      healthzEndpoint: '/healthz',
      prometheusMetricsEnabled: false,
      serveMetrics: false,
      metrics: {
        enabled: false, intervalMs: 3_600_000, outputRule: true, rulesCounters: true, resourceUtilization: true, stateCounters: true,
        kernelEventCounters: true, libbpfStats: true, convertMemoryToMb: true, includeEmptyValues: false,
      },
    });
  });

  it('reads the documented falco.yaml sections', () => {
    const c = webserverConfigOf({
      webserver: { enabled: true, threadiness: 0, listen_port: 8765, listen_address: '::1', k8s_healthz_endpoint: '/healthz', prometheus_metrics_enabled: 'true', ssl_enabled: true, ssl_certificate: '/etc/falco/falco.pem' },
      metrics: { enabled: true, interval: '1m30s', output_rule: false, output_file: '/tmp/m.jsonl', state_counters_enabled: false },
    })!;
    expect(c).toMatchObject({ listenAddress: '::1', sslCertificate: '/etc/falco/falco.pem', serveMetrics: true });
    expect(c.metrics).toMatchObject({ intervalMs: 90_000, outputRule: false, outputFile: '/tmp/m.jsonl', stateCounters: false, rulesCounters: true });
  });

  it('is undefined when the webserver is disabled', () => {
    expect(webserverConfigOf({ webserver: { enabled: false } })).toBeUndefined();
    expect(webserverConfigOf({ webserver: { enabled: 'false' } })).toBeUndefined();
  });

  it('names the key that is wrong', () => {
    const bad = (raw: Record<string, unknown>) => () => webserverConfigOf(raw);
    expect(bad({ webserver: 'on' })).toThrow(ConfigError);
    expect(bad({ webserver: 'on' })).toThrow("config: 'webserver' must be a map");
    expect(bad({ webserver: { listen_address: 'localhost' } })).toThrow(/'webserver\.listen_address' must be an IPv4 or IPv6 address .*"localhost"/);
    expect(bad({ webserver: { listen_address: '327.0.0.1' } })).toThrow(/webserver\.listen_address/);
    expect(bad({ webserver: { listen_port: 70000 } })).toThrow("config: 'webserver.listen_port' must be a whole number from 0 to 65535, not 70000");
    expect(bad({ webserver: { listen_port: 'http' } })).toThrow(/webserver\.listen_port/);
    expect(bad({ webserver: { ssl_enabled: 'yes' } })).toThrow("config: 'webserver.ssl_enabled' must be true or false, not \"yes\"");
    expect(bad({ webserver: { k8s_healthz_endpoint: 'healthz' } })).toThrow(/'webserver\.k8s_healthz_endpoint' must be a path starting with '\/'/);
    expect(bad({ metrics: { enabled: true, interval: 'hourly' } })).toThrow(/'metrics\.interval' must be a Prometheus duration/);
    expect(bad({ metrics: { rules_counters_enabled: 1 } })).toThrow(/metrics\.rules_counters_enabled/);
    // A bad interval does not matter while metrics are off (Falco does not read it then either).
    expect(bad({ metrics: { enabled: false, interval: 'hourly' } })).not.toThrow();
  });

  it('parses Prometheus durations as Falco does', () => {
    expect(parsePrometheusInterval('1h')).toBe(3_600_000);
    expect(parsePrometheusInterval('15m')).toBe(900_000);
    expect(parsePrometheusInterval('1d2h')).toBe(93_600_000);
    expect(parsePrometheusInterval('500ms')).toBe(500);
    expect(parsePrometheusInterval('2h1d')).toBeUndefined();
    expect(parsePrometheusInterval('')).toBeUndefined();
  });
});
