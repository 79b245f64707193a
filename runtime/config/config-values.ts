// How falco.yaml values are read, the same for every section: booleans (YAML's or the text
// `true`/`false` an `-o` override gives) and sections that must be maps; errors name the key.
import { ConfigError } from './config-error.ts';

/** A boolean; absent (undefined or null) gives `dflt` when there is one. */
export function bool(v: unknown, key: string, dflt?: boolean): boolean {
  if ((v === undefined || v === null) && dflt !== undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw new ConfigError(`config: '${key}' must be true or false, not ${JSON.stringify(v)}`);
}

/** A section (`*_output`, `grpc`, `webserver`, …): a map; absent gives an empty one (Falco's defaults). */
export function section(raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = raw[key] ?? {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(`config: '${key}' must be a map (enabled: …)`);
  return v as Record<string, unknown>;
}
