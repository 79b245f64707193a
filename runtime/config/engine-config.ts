// Engine settings as Falco takes them: falco.yaml (`-c`), then `-o key=value` overrides. The
// defaults are those of the falco.yaml Falco 0.44 ships, so a replay without `-c` behaves like
// `falco` with its stock configuration. Keys falcoc does not use are accepted quietly when
// they are Falco's own and reported when nobody knows them.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { FACILITIES } from '../outputs/syslog-output.ts';
import type { GateConfig } from '../outputs/alert-gate.ts';
import { ConfigError } from './config-error.ts';
import { bool, section } from './config-values.ts';
import { grpcConfigOf, type GrpcConfig } from '../outputs/grpc-config.ts';
import { webserverConfigOf, type WebserverConfig } from '../metrics/webserver-config.ts';

export type RuleMatching = 'first' | 'all';

/** One append_output entry (falco.yaml). */
export interface AppendOutput {
  match?: { source?: string; tags?: string[]; rule?: string };
  extraOutput?: string;
  /** Extra output_fields: a bare field name (typed value) or name → format (rendered string). */
  extraFields?: ({ name: string; format: string } | { field: string })[];
  suggestedOutput?: boolean;
}

/** stdout_output, file_output and program_output. */
export interface OutputsConfig {
  stdout: boolean;
  file?: { filename: string; keepAlive: boolean };
  program?: { program: string; keepAlive: boolean };
  http?: {
    url: string;
    userAgent: string;
    insecure: boolean;
    caFiles: string[];
    caPath?: string;
    clientCert?: string;
    clientKey?: string;
    echo: boolean;
    keepAlive: boolean;
    compressUploads: boolean;
  };
  /** syslog_output: the local daemon's socket (falcoc extension `socket`, default /dev/log), or
   * a collector (falcoc extension `remote`); `facility` (falcoc extension, default user). */
  syslog?: {
    facility: string;
    socket: string;
    remote?: { protocol: 'udp' | 'tcp' | 'tls'; host: string; port: number; caCert?: string; insecure: boolean };
  };
  /** grpc + grpc_output: the gRPC server (Unix socket, or TCP with mTLS). */
  grpc?: GrpcConfig;
  /** outputs_queue.capacity (0: falcoc's default bound for queued outputs). */
  queueCapacity: number;
}

export type RulesSelection = { enable: { rule?: string; tag?: string } } | { disable: { rule?: string; tag?: string } };

export interface EngineConfig {
  priority: string;
  ruleMatching: RuleMatching;
  jsonOutput: boolean;
  jsonIncludeOutputProperty: boolean;
  jsonIncludeMessageProperty: boolean;
  jsonIncludeOutputFieldsProperty: boolean;
  jsonIncludeTagsProperty: boolean;
  timeFormatIso8601: boolean;
  bufferedOutputs: boolean;
  appendOutput: AppendOutput[];
  rules: RulesSelection[];
  /** The outputs falcoc implements, as configured (runtime/outputs). */
  outputs: OutputsConfig;
  /** falcoc.rate_limit and falcoc.dedup (falcoc's own keys; off by default). */
  gate: GateConfig;
  /** webserver (health, /metrics) for `falcoc run`; undefined when disabled. */
  webserver?: WebserverConfig;
  /** Everything as loaded (for the outputs and later stages). */
  raw: Record<string, unknown>;
}

/** Top-level keys of Falco's own falco.yaml (accepted even where falcoc has no use for them). */
const FALCO_KEYS = new Set([
  'config_files', 'watch_config_files', 'rules_files', 'rules_file', 'rules', 'engine', 'load_plugins', 'plugins',
  'time_format_iso_8601', 'buffer_format_base64', 'priority', 'json_output', 'json_include_output_property',
  'json_include_message_property', 'json_include_output_fields_property', 'json_include_tags_property',
  'buffered_outputs', 'rule_matching', 'outputs_queue', 'append_output', 'static_fields', 'stdout_output',
  'syslog_output', 'file_output', 'http_output', 'program_output', 'grpc_output', 'grpc', 'webserver',
  'log_stderr', 'log_syslog', 'log_level', 'libs_logger', 'output_timeout', 'syscall_event_timeouts',
  'syscall_event_drops', 'metrics', 'base_syscalls', 'falco_libs', 'capture', 'container_engines',
  'plugins_hostinfo', 'outputs', 'modern_bpf', 'dry_run', 'json_include_output_fields',
  // falcoc's own section (rate limit, dedup)
  'falcoc',
]);

export function defaultConfigObject(): Record<string, unknown> {
  return {
    priority: 'debug',
    rule_matching: 'first',
    json_output: false,
    json_include_output_property: true,
    json_include_message_property: false,
    json_include_output_fields_property: true,
    json_include_tags_property: true,
    time_format_iso_8601: false,
    buffered_outputs: false,
    append_output: [{ suggested_output: true }],
    stdout_output: { enabled: true },
    syslog_output: { enabled: true },
    file_output: { enabled: false, keep_alive: false, filename: './events.txt' },
    program_output: { enabled: false, keep_alive: false, program: 'jq \'{text: .output}\' | curl -d @- -X POST https://hooks.slack.com/services/XXX' },
    http_output: {
      enabled: false, url: '', user_agent: 'falcosecurity/falco', insecure: false, ca_cert: '', ca_bundle: '', ca_path: '/etc/ssl/certs',
      mtls: false, client_cert: '/etc/ssl/certs/client.crt', client_key: '/etc/ssl/certs/client.key', echo: false, compress_uploads: false, keep_alive: false,
    },
    outputs_queue: { capacity: 0 },
  };
}

export { ConfigError };

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** falcoc's own section: `falcoc: { rate_limit: {enabled, rate, max_burst}, dedup: {enabled, window_s} }`. */
function gateOf(raw: Record<string, unknown>): GateConfig {
  const f = section(raw, 'falcoc');
  const rl = (f.rate_limit ?? {}) as Record<string, unknown>;
  const dd = (f.dedup ?? {}) as Record<string, unknown>;
  const out: GateConfig = {};
  const positive = (v: unknown, key: string, dflt: number): number => {
    const n = v === undefined ? dflt : Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`config: ${key} must be a number > 0, not ${JSON.stringify(v)}`);
    return n;
  };
  if (bool(rl.enabled ?? false, 'falcoc.rate_limit.enabled')) {
    out.rateLimit = { rate: positive(rl.rate, 'falcoc.rate_limit.rate', 1), maxBurst: positive(rl.max_burst, 'falcoc.rate_limit.max_burst', 10) };
  }
  if (bool(dd.enabled ?? false, 'falcoc.dedup.enabled')) out.dedupWindowS = positive(dd.window_s, 'falcoc.dedup.window_s', 60);
  return out;
}

function outputsOf(raw: Record<string, unknown>): OutputsConfig {
  const stdout = section(raw, 'stdout_output');
  const file = section(raw, 'file_output');
  const program = section(raw, 'program_output');
  const http = section(raw, 'http_output');
  const queue = section(raw, 'outputs_queue');
  const capacity = Number(queue.capacity ?? 0);
  if (!Number.isInteger(capacity) || capacity < 0) throw new ConfigError(`config: outputs_queue.capacity must be a whole number ≥ 0, not ${JSON.stringify(queue.capacity)}`);
  const out: OutputsConfig = { stdout: bool(stdout.enabled ?? true, 'stdout_output.enabled'), queueCapacity: capacity };
  const grpc = grpcConfigOf(raw);
  if (grpc) out.grpc = grpc;
  const syslog = section(raw, 'syslog_output');
  if (bool(syslog.enabled ?? true, 'syslog_output.enabled')) {
    const facility = String(syslog.facility ?? 'user');
    if (!Object.hasOwn(FACILITIES, facility)) throw new ConfigError(`config: syslog_output.facility must be one of ${Object.keys(FACILITIES).join(', ')}, not '${facility}'`);
    out.syslog = { facility, socket: String(syslog.socket ?? '/dev/log') };
    if (syslog.remote !== undefined && syslog.remote !== null) {
      const m = /^(udp|tcp|tls):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(String(syslog.remote));
      if (!m) throw new ConfigError(`config: syslog_output.remote must be udp://host:port, tcp://host:port or tls://host:port, not '${String(syslog.remote)}'`);
      out.syslog.remote = {
        protocol: m[1] as 'udp' | 'tcp' | 'tls',
        host: m[2]!.replace(/^\[|\]$/g, ''),
        port: Number(m[3]),
        ...(syslog.ca_cert ? { caCert: String(syslog.ca_cert) } : {}),
        insecure: bool(syslog.insecure ?? false, 'syslog_output.insecure'),
      };
    }
  }
  if (bool(http.enabled ?? false, 'http_output.enabled')) {
    const url = String(http.url ?? '');
    if (!/^https?:\/\/./.test(url)) throw new ConfigError(`config: http_output.url must be an http:// or https:// URL when http_output is enabled, not '${url}'`);
    const mtls = bool(http.mtls ?? false, 'http_output.mtls');
    if (mtls && (!http.client_cert || !http.client_key)) throw new ConfigError('config: http_output.mtls needs http_output.client_cert and http_output.client_key (PEM files)');
    out.http = {
      url,
      userAgent: String(http.user_agent ?? 'falcosecurity/falco'),
      insecure: bool(http.insecure ?? false, 'http_output.insecure'),
      // ca_cert and ca_bundle replace the system's trust; ca_path adds a folder (when it exists).
      caFiles: [http.ca_cert, http.ca_bundle].filter((f) => typeof f === 'string' && f !== '').map(String),
      ...(http.ca_path ? { caPath: String(http.ca_path) } : {}),
      ...(mtls ? { clientCert: String(http.client_cert ?? ''), clientKey: String(http.client_key ?? '') } : {}),
      echo: bool(http.echo ?? false, 'http_output.echo'),
      keepAlive: bool(http.keep_alive ?? false, 'http_output.keep_alive'),
      compressUploads: bool(http.compress_uploads ?? false, 'http_output.compress_uploads'),
    };
  }
  const fileKeepAlive = bool(file.keep_alive ?? false, 'file_output.keep_alive');
  const programKeepAlive = bool(program.keep_alive ?? false, 'program_output.keep_alive');
  if (bool(file.enabled ?? false, 'file_output.enabled')) {
    if (typeof file.filename !== 'string' || file.filename === '') throw new ConfigError('config: file_output.filename must name a file when file_output is enabled');
    out.file = { filename: file.filename, keepAlive: fileKeepAlive };
  }
  if (bool(program.enabled ?? false, 'program_output.enabled')) {
    if (typeof program.program !== 'string' || program.program === '') throw new ConfigError('config: program_output.program must be a command when program_output is enabled');
    out.program = { program: program.program, keepAlive: programKeepAlive };
  }
  return out;
}

function appendOutputs(v: unknown): AppendOutput[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ConfigError('config: append_output must be a list');
  return v.map((e, i) => {
    if (!e || typeof e !== 'object') throw new ConfigError(`config: append_output[${i}] must be a mapping`);
    const o = e as Record<string, unknown>;
    const out: AppendOutput = {};
    if (o.match && typeof o.match === 'object') {
      const m = o.match as Record<string, unknown>;
      out.match = {};
      if (m.source !== undefined) out.match.source = String(m.source);
      if (m.rule !== undefined) out.match.rule = String(m.rule);
      if (m.tags !== undefined) out.match.tags = (Array.isArray(m.tags) ? m.tags : [m.tags]).map(String);
    }
    if (o.extra_output !== undefined) out.extraOutput = String(o.extra_output);
    if (o.suggested_output !== undefined) out.suggestedOutput = bool(o.suggested_output, `append_output[${i}].suggested_output`);
    if (o.extra_fields !== undefined) {
      if (!Array.isArray(o.extra_fields)) throw new ConfigError(`config: append_output[${i}].extra_fields must be a list`);
      out.extraFields = o.extra_fields.map((f) => {
        if (typeof f === 'string') return { field: f };
        const [name, format] = Object.entries(f as Record<string, unknown>)[0] ?? [];
        if (name === undefined) throw new ConfigError(`config: append_output[${i}].extra_fields has an empty entry`);
        return { name, format: String(format) };
      });
    }
    return out;
  });
}

function selections(v: unknown): RulesSelection[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ConfigError('config: rules must be a list of enable/disable entries');
  return v.map((e, i) => {
    const o = (e ?? {}) as Record<string, unknown>;
    const key = 'enable' in o ? 'enable' : 'disable' in o ? 'disable' : undefined;
    if (!key) throw new ConfigError(`config: rules[${i}] must be {enable: …} or {disable: …}`);
    const sel = (o[key] ?? {}) as Record<string, unknown>;
    const s: { rule?: string; tag?: string } = {};
    if (sel.rule !== undefined) s.rule = String(sel.rule);
    if (sel.tag !== undefined) s.tag = String(sel.tag);
    return key === 'enable' ? { enable: s } : { disable: s };
  });
}

export interface ConfigInput {
  /** Path of a falco.yaml. */
  file?: string;
  /** `key=value` overrides, applied in order; values are YAML. */
  overrides?: readonly string[];
}

export interface LoadedConfig {
  config: EngineConfig;
  /** Keys neither falcoc nor Falco know (ignored). */
  unknownKeys: string[];
}

export function loadEngineConfig(input: ConfigInput = {}): LoadedConfig {
  const raw = defaultConfigObject();
  if (input.file) {
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(input.file, 'utf8'));
    } catch (e) {
      throw new ConfigError(`config: cannot read ${input.file}: ${(e as Error).message}`);
    }
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`config: ${input.file} is not a YAML mapping`);
      Object.assign(raw, doc);
    }
  }
  for (const o of input.overrides ?? []) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new ConfigError(`config: -o expects key=value, not '${o}'`);
    let value: unknown;
    try {
      value = parseYaml(o.slice(eq + 1));
    } catch {
      value = o.slice(eq + 1);
    }
    setPath(raw, o.slice(0, eq), value);
  }
  const unknownKeys = Object.keys(raw).filter((k) => !FALCO_KEYS.has(k));
  const ruleMatching = String(raw.rule_matching ?? 'first');
  if (ruleMatching !== 'first' && ruleMatching !== 'all') throw new ConfigError(`config: rule_matching must be first or all, not '${ruleMatching}'`);
  const config: EngineConfig = {
    priority: String(raw.priority ?? 'debug'),
    ruleMatching,
    jsonOutput: bool(raw.json_output, 'json_output'),
    jsonIncludeOutputProperty: bool(raw.json_include_output_property, 'json_include_output_property'),
    jsonIncludeMessageProperty: bool(raw.json_include_message_property, 'json_include_message_property'),
    jsonIncludeOutputFieldsProperty: bool(raw.json_include_output_fields_property, 'json_include_output_fields_property'),
    jsonIncludeTagsProperty: bool(raw.json_include_tags_property, 'json_include_tags_property'),
    timeFormatIso8601: bool(raw.time_format_iso_8601, 'time_format_iso_8601'),
    bufferedOutputs: bool(raw.buffered_outputs, 'buffered_outputs'),
    appendOutput: appendOutputs(raw.append_output),
    rules: selections(raw.rules),
    outputs: outputsOf(raw),
    gate: gateOf(raw),
    raw,
  };
  const webserver = webserverConfigOf(raw);
  if (webserver) config.webserver = webserver;
  return { config, unknownKeys };
}
