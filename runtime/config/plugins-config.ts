// falco.yaml's `plugins` and `load_plugins`, for the sources falcoc builds in: a loaded k8saudit
// plugin means the audit webhook (its open_params URL and init_config), a loaded github plugin
// the GitHub webhook (falcoc's: open_params is the URL to listen on, init_config.secret the
// webhook secret). Other plugins' entries are accepted; the builtin ones need no library_path.
import { ConfigError } from './config-error.ts';
import { K8S_AUDIT_DEFAULTS } from '../sources/webhook/source-webhooks.ts';

export interface LivePluginsConfig {
  k8sAudit?: { url: string; sslCertificate?: string; maxEventSize: number; webhookMaxBatchSize: number };
  github?: { url: string; sslCertificate?: string; secret?: string };
}

/** init_config as a map (Falco also takes it as a JSON string). */
function initConfig(v: unknown, name: string): Record<string, unknown> {
  if (v === undefined || v === null || v === '') return {};
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw new ConfigError(`config: plugins[${name}].init_config must be a map or a JSON object string`);
    }
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(`config: plugins[${name}].init_config must be a map`);
  return v as Record<string, unknown>;
}

const positive = (v: unknown, key: string, dflt: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`config: ${key} must be a whole number > 0, not ${JSON.stringify(v)}`);
  return n;
};

export function livePluginsOf(raw: Record<string, unknown>): LivePluginsConfig {
  const load = raw.load_plugins ?? [];
  if (!Array.isArray(load)) throw new ConfigError('config: load_plugins must be a list of plugin names');
  const entries = raw.plugins ?? [];
  if (!Array.isArray(entries)) throw new ConfigError('config: plugins must be a list of {name, init_config, open_params}');
  const entry = (name: string) => entries.find((e) => (e as { name?: unknown })?.name === name) as Record<string, unknown> | undefined;
  const out: LivePluginsConfig = {};
  if (load.includes('k8saudit')) {
    const e = entry('k8saudit') ?? {};
    const init = initConfig(e.init_config, 'k8saudit');
    out.k8sAudit = {
      url: String(e.open_params || K8S_AUDIT_DEFAULTS.url),
      ...(init.sslCertificate ? { sslCertificate: String(init.sslCertificate) } : {}),
      maxEventSize: positive(init.maxEventSize, 'plugins[k8saudit].init_config.maxEventSize', K8S_AUDIT_DEFAULTS.maxEventSize),
      webhookMaxBatchSize: positive(init.webhookMaxBatchSize, 'plugins[k8saudit].init_config.webhookMaxBatchSize', K8S_AUDIT_DEFAULTS.webhookMaxBatchSize),
    };
  }
  if (load.includes('github')) {
    const e = entry('github') ?? {};
    const init = initConfig(e.init_config, 'github');
    const url = String(e.open_params || 'http://:9766/github');
    if (!/^https?:\/\//.test(url)) throw new ConfigError(`config: plugins[github].open_params must be the URL falcoc listens on for GitHub's webhooks (http://:9766/github), not '${url}'`);
    out.github = {
      url,
      ...(init.sslCertificate ? { sslCertificate: String(init.sslCertificate) } : {}),
      ...(init.secret !== undefined ? { secret: String(init.secret) } : {}),
    };
  }
  return out;
}
