// A metrics snapshot as Prometheus text exposition (format 0.0.4). Falco's own metrics keep
// Falco's names, types and labels (libs' naming: `falcosecurity_<falco|scap|evt>_<name>_<unit>`,
// counters end in `_total`, label-only facts are `_info` gauges of 1), so its dashboards and
// alerts work unchanged; what only falcoc has is under `falcosecurity_falcoc_`. Unlike Falco,
// each family gets one HELP/TYPE pair (Falco repeats them per sample, which strict parsers
// refuse) and label values are escaped. Families come in a fixed order, samples sorted, so the
// same snapshot always renders the same bytes.
import { priorityNumber } from '../../compiler/load/reader.ts';
import { readFileSync } from 'node:fs';
import { availableParallelism, hostname, release, uptime } from 'node:os';
import { basename } from 'node:path';
import type { MetricsSnapshot } from './metrics-snapshot.ts';
import type { MetricsCategories } from './webserver-config.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Facts about this process and host, read at scrape time (see processFacts). */
export interface ProcessFacts {
  /** Wall clock now, nanoseconds since the epoch. */
  nowNs: bigint;
  rssBytes: number;
  vszBytes?: number;
  cpuUserS: number;
  cpuSystemS: number;
  /** CPU time over wall time since start, rounded as Falco rounds cpu_usage_perc (0.1 %). */
  cpuUsageRatio: number;
  hostname: string;
  kernelRelease: string;
  numCpus: number;
  bootNs?: bigint;
  /** Host-wide: total − free − buffers − cached memory. */
  hostMemoryUsedBytes?: number;
  hostOpenFds?: number;
  hostProcsRunning?: number;
  /** Host-wide non-idle CPU share since boot (/proc/stat), rounded as Falco does. */
  hostCpuUsageRatio?: number;
}

export const ALL_CATEGORIES: MetricsCategories = {
  rulesCounters: true,
  resourceUtilization: true,
  stateCounters: true,
  kernelEventCounters: true,
  libbpfStats: true,
};

type Labels = Readonly<Record<string, string>>;
type Value = number | bigint;

interface Family {
  name: string;
  type: 'counter' | 'gauge';
  help: string;
  samples: (readonly [Labels, Value])[];
}

const NONE: Labels = {};

function family(name: string, type: Family['type'], help: string, samples: (readonly [Labels, Value])[]): Family {
  return { name, type, help, samples };
}

/** One unlabelled sample, or none when the value is unknown. */
const one = (v: Value | undefined): (readonly [Labels, Value])[] => (v === undefined ? [] : [[NONE, v]]);

const byName = <T>(rec: Readonly<Record<string, T>>): [string, T][] => Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
/** Label names allow [a-zA-Z0-9_] only; tags are free text. */
const labelName = (s: string): string => s.replace(/[^a-zA-Z0-9_]/g, '_');

function formatValue(v: Value): string {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}

function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort(); // Falco's labels come from a std::map: sorted by key
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
}

/** The Prometheus text for a snapshot and the process facts read beside it. Pure. */
export function renderPrometheus(s: MetricsSnapshot, p: ProcessFacts, categories: MetricsCategories = ALL_CATEGORIES): string {
  const families: Family[] = [
    ...falcoFamilies(s),
    ...(categories.rulesCounters ? [rulesFamily(s)] : []),
    ...(categories.kernelEventCounters ? kernelFamilies(s) : []),
    ...(categories.resourceUtilization ? resourceFamilies(p) : []),
    ...(categories.stateCounters ? stateFamilies(s) : []),
    ...hostFamilies(s, p),
    ...falcocFamilies(s, p),
  ];
  let out = '';
  for (const f of families) {
    if (f.samples.length === 0) continue;
    out += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n`;
    for (const [labels, v] of f.samples) out += `${f.name}${formatLabels(labels)} ${formatValue(v)}\n`;
  }
  return out;
}

function falcoFamilies(s: MetricsSnapshot): Family[] {
  const digests = (files: MetricsSnapshot['rulesFiles']) =>
    (files ?? []).map((f) => [{ file_name: basename(f.file), sha256: f.sha256 }, 1] as const).sort((a, b) => cmp(a[0].file_name, b[0].file_name));
  const queueDrops = s.outputsQueueDrops ?? Object.values(s.outputs).reduce((n, o) => n + (o.dropped ?? 0), 0);
  return [
    family('falcosecurity_falco_version_info', 'gauge', 'Version falcoc reports as Falco\'s (label version), always 1.', [[{ version: s.version }, 1]]),
    family('falcosecurity_falco_sha256_rules_files_info', 'gauge', 'SHA-256 of each loaded rules file (labels file_name, sha256), always 1.', digests(s.rulesFiles)),
    family('falcosecurity_falco_sha256_config_files_info', 'gauge', 'SHA-256 of each loaded configuration file (labels file_name, sha256), always 1.', digests(s.configFiles)),
    family('falcosecurity_falco_outputs_queue_num_drops_total', 'counter', 'Alerts dropped because an output queue was full.', [[NONE, queueDrops]]),
    family('falcosecurity_falco_reload_timestamp_nanoseconds', 'gauge', 'When configuration and rules were last loaded, nanoseconds since the epoch.', [[NONE, s.reloadNs ?? s.startNs]]),
    family('falcosecurity_scap_engine_name_info', 'gauge', 'Capture engine of each event source (labels engine_name, evt_source), always 1.',
      [...(s.engines ?? [])].sort((a, b) => cmp(a.source, b.source)).map((e) => [{ engine_name: e.engine, evt_source: e.source }, 1] as const)),
  ];
}

function rulesFamily(s: MetricsSnapshot): Family {
  const samples = s.ruleMatches
    .filter((r) => r.count > 0) // as Falco: rules that never matched are left out
    .slice()
    .sort((a, b) => cmp(a.rule, b.rule) || cmp(a.source, b.source))
    .map((r) => {
      const labels: Record<string, string> = {
        rule_name: r.rule,
        priority: String(priorityNumber(r.priority) ?? r.priority),
        source: r.source,
      };
      for (const t of r.tags) labels[`tag_${labelName(t)}`] = 'true';
      return [labels, r.count] as const;
    });
  return family('falcosecurity_falco_rules_matches_total', 'counter',
    'Matches per rule (labels rule_name, priority as Falco\'s number 0 emergency .. 7 debug, source, tag_<tag>="true").', samples);
}

function kernelFamilies(s: MetricsSnapshot): Family[] {
  const d = s.drops;
  return [
    family('falcosecurity_scap_n_evts_total', 'counter', 'Events the kernel side delivered.', [[NONE, s.events]]),
    family('falcosecurity_scap_n_drops_total', 'counter', 'Events lost on the kernel side, all causes.', [[NONE, d.total]]),
    family('falcosecurity_scap_n_drops_buffer_total', 'counter', 'Events lost because the ring buffer was full (labels drop: kind of event, dir).',
      byName(d.byKind ?? {}).map(([kind, n]) => [{ dir: 'exit', drop: kind }, n] as const)),
    family('falcosecurity_scap_n_drops_scratch_map_total', 'counter', 'Events lost because they did not fit the kernel scratch space.', one(d.scratchMap)),
    family('falcosecurity_scap_n_drops_page_faults_total', 'counter', 'Events lost to page faults reading user memory.', one(d.pageFaults)),
    family('falcosecurity_scap_n_drops_bug_total', 'counter', 'Events lost to a driver bug.', one(d.bug)),
  ];
}

function resourceFamilies(p: ProcessFacts): Family[] {
  return [
    family('falcosecurity_falco_cpu_usage_ratio', 'gauge', 'CPU time of this process over its wall time since start (1 = one full CPU).', [[NONE, p.cpuUsageRatio]]),
    family('falcosecurity_falco_memory_rss_bytes', 'gauge', 'Resident memory of this process.', [[NONE, p.rssBytes]]),
    family('falcosecurity_falco_memory_vsz_bytes', 'gauge', 'Virtual memory of this process.', one(p.vszBytes)),
    family('falcosecurity_falco_host_cpu_usage_ratio', 'gauge', 'Non-idle CPU share of the host since boot.', one(p.hostCpuUsageRatio)),
    family('falcosecurity_falco_host_memory_used_bytes', 'gauge', 'Host memory in use (total - free - buffers - cached).', one(p.hostMemoryUsedBytes)),
    family('falcosecurity_falco_host_procs_running_total', 'gauge', 'Processes running on the host now.', one(p.hostProcsRunning)),
    family('falcosecurity_falco_host_open_fds_total', 'gauge', 'File descriptors allocated on the host now.', one(p.hostOpenFds)),
  ];
}

function stateFamilies(s: MetricsSnapshot): Family[] {
  const st = s.state;
  if (!st) return [];
  return [
    family('falcosecurity_scap_n_threads_total', 'gauge', 'Threads in the thread table now.', [[NONE, st.threads]]),
    family('falcosecurity_scap_n_fds_total', 'gauge', 'File descriptors in all fd tables now.', [[NONE, st.fds]]),
    family('falcosecurity_scap_n_added_threads_total', 'counter', 'Threads added to the thread table.', one(st.addedThreads)),
    family('falcosecurity_scap_n_removed_threads_total', 'counter', 'Threads removed from the thread table.', one(st.removedThreads)),
    family('falcosecurity_scap_n_failed_thread_lookups_total', 'counter', 'Thread lookups that found nothing.', one(st.failedThreadLookups)),
    family('falcosecurity_scap_n_added_fds_total', 'counter', 'File descriptors added to fd tables.', one(st.addedFds)),
    family('falcosecurity_scap_n_removed_fds_total', 'counter', 'File descriptors removed from fd tables.', one(st.removedFds)),
    family('falcosecurity_scap_n_failed_fd_lookups_total', 'counter', 'File descriptor lookups that found nothing.', one(st.failedFdLookups)),
    family('falcosecurity_scap_n_drops_full_threadtable_total', 'counter', 'Threads not added because the thread table was full.', one(st.threadTableDrops)),
    family('falcosecurity_scap_n_containers_total', 'gauge', 'Containers known now.', one(st.containers)),
  ];
}

function hostFamilies(s: MetricsSnapshot, p: ProcessFacts): Family[] {
  const uptimeS = p.nowNs > s.startNs ? (p.nowNs - s.startNs) / 1_000_000_000n : 0n;
  return [
    family('falcosecurity_falco_kernel_release_info', 'gauge', 'Kernel release of the host (label kernel_release), always 1.', [[{ kernel_release: p.kernelRelease }, 1]]),
    family('falcosecurity_evt_hostname_info', 'gauge', 'Host name alerts carry (label hostname), always 1.', [[{ hostname: p.hostname }, 1]]),
    family('falcosecurity_falco_start_timestamp_nanoseconds', 'gauge', 'When this process started, nanoseconds since the epoch.', [[NONE, s.startNs]]),
    family('falcosecurity_falco_host_boot_timestamp_nanoseconds', 'gauge', 'When the host booted, nanoseconds since the epoch.', one(p.bootNs)),
    family('falcosecurity_falco_host_num_cpus_total', 'gauge', 'CPUs of the host.', [[NONE, p.numCpus]]),
    family('falcosecurity_falco_duration_seconds_total', 'counter', 'Seconds since this process started.', [[NONE, uptimeS]]),
  ];
}

function falcocFamilies(s: MetricsSnapshot, p: ProcessFacts): Family[] {
  const outputs = byName(s.outputs);
  return [
    family('falcosecurity_falcoc_events_processed_total', 'counter', 'Events the rule engine processed, per event source (label source).',
      byName(s.eventsBySource ?? {}).map(([source, n]) => [{ source }, n] as const)),
    family('falcosecurity_falcoc_output_alerts_sent_total', 'counter', 'Alerts an output handed on (label output).', outputs.map(([output, o]) => [{ output }, o.sent] as const)),
    family('falcosecurity_falcoc_output_alerts_failed_total', 'counter', 'Alerts an error kept from their destination (label output).', outputs.map(([output, o]) => [{ output }, o.failed] as const)),
    family('falcosecurity_falcoc_output_alerts_dropped_total', 'counter', 'Alerts refused because the output\'s queue was full (label output; queued outputs only).',
      outputs.flatMap(([output, o]) => (o.dropped === undefined ? [] : [[{ output }, o.dropped] as const]))),
    family('falcosecurity_falcoc_output_queue_depth', 'gauge', 'Alerts waiting in an output\'s queue now (label output; queued outputs only).',
      outputs.flatMap(([output, o]) => (o.queued === undefined ? [] : [[{ output }, o.queued] as const]))),
    family('falcosecurity_falcoc_alerts_suppressed_total', 'counter', 'Alerts held back by falcoc.rate_limit or falcoc.dedup (label reason: rate_limit, dedup).', [
      [{ reason: 'dedup' }, s.suppressed.deduplicated],
      [{ reason: 'rate_limit' }, s.suppressed.rateLimited],
    ]),
    family('falcosecurity_falcoc_cpu_seconds_total', 'counter', 'CPU time of this process (label mode: user, system).', [
      [{ mode: 'system' }, p.cpuSystemS],
      [{ mode: 'user' }, p.cpuUserS],
    ]),
  ];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Reads a /proc file, or undefined where there is none (not Linux, a sandbox). */
function proc(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

const kib = (status: string | undefined, key: string): number | undefined => {
  const m = status && new RegExp(`^${key}:\\s*(\\d+)\\s*kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
};

/** This process and host now: a handful of small /proc reads, once per scrape. */
export function processFacts(): ProcessFacts {
  const nowMs = Date.now();
  const cpu = process.cpuUsage();
  const cpuUserS = cpu.user / 1e6;
  const cpuSystemS = cpu.system / 1e6;
  const perc = (100 * (cpuUserS + cpuSystemS)) / Math.max(process.uptime(), 1e-3);
  const facts: ProcessFacts = {
    nowNs: BigInt(nowMs) * 1_000_000n,
    rssBytes: process.memoryUsage.rss(),
    cpuUserS,
    cpuSystemS,
    cpuUsageRatio: Math.round(perc * 10) / 10 / 100,
    hostname: process.env.FALCO_HOSTNAME || hostname(),
    kernelRelease: release(),
    numCpus: availableParallelism(),
    bootNs: BigInt(Math.round(nowMs - uptime() * 1000)) * 1_000_000n,
  };
  const vsz = kib(proc('/proc/self/status'), 'VmSize');
  if (vsz !== undefined) facts.vszBytes = vsz;
  const meminfo = proc('/proc/meminfo');
  const [total, free, buffers, cached] = ['MemTotal', 'MemFree', 'Buffers', 'Cached'].map((k) => kib(meminfo, k));
  if (total !== undefined && free !== undefined) facts.hostMemoryUsedBytes = total - free - (buffers ?? 0) - (cached ?? 0);
  const fileNr = proc('/proc/sys/fs/file-nr');
  if (fileNr) facts.hostOpenFds = Number(fileNr.split(/\s+/)[0]);
  const stat = proc('/proc/stat');
  const running = stat && /^procs_running (\d+)/m.exec(stat);
  if (running) facts.hostProcsRunning = Number(running[1]);
  const line = stat && /^cpu +(\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/m.exec(stat);
  if (line) {
    const cols = line.slice(1, 8).map(Number);
    const sum = cols.reduce((a, b) => a + b, 0);
    if (sum > 0) facts.hostCpuUsageRatio = Math.round((100 - (cols[3]! * 100) / sum) * 10) / 10 / 100;
  }
  return facts;
}
