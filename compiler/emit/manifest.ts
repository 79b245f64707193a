// The manifest written beside a bundle: what a host needs to decide whether and how to run it
// without executing it (ABI, versions, hashes, rules, event types for the kernel side, fields),
// and the optional ed25519 signature over everything else in it.
import type { BundleRule } from '../../runtime/engine/bundle-abi.ts';

export const MANIFEST_FORMAT = 'falcoc-bundle-manifest/1';

export interface ManifestRule extends BundleRule {
  /** Names of the event types the rule can match (none for plugin sources' rules). */
  event_types: string[];
}

export interface BundleManifest {
  format: typeof MANIFEST_FORMAT;
  abi: number;
  compiler_version: string;
  engine_version: string;
  /** sha256 over the rules files (base name and content, in load order). */
  ruleset_hash: string;
  /** The bundle file, relative to the manifest, and the sha256 of its bytes. */
  bundle: string;
  bundle_sha256: string;
  /** The source the event types and kernel sets below are for (syscall). */
  source: string;
  /** Every event source with rules in the bundle (`syscall` first when it has any), each rule naming its own. */
  sources: string[];
  /** Every rule of every source, in load order (the bundle's rule table). */
  rules: ManifestRule[];
  /** Event types the enabled rules can match. */
  event_types: string[];
  /** Event codes (and their names) the kernel side must deliver: rules ∪ state keeping. */
  kernel_event_codes: number[];
  kernel_event_types: string[];
  /** Fields the syscall conditions read. */
  fields: string[];
  /** Per plugin source, the fields its conditions read. */
  source_fields: Record<string, string[]>;
  /** Present when built with --sign: ed25519 over the manifest without this key (canonical JSON). */
  signature?: { algorithm: 'ed25519'; value: string };
}

/** The bytes a signature covers: the manifest without `signature`, keys in a fixed order. */
export function signedBytes(m: BundleManifest): Buffer {
  const { signature: _omit, ...rest } = m;
  return Buffer.from(JSON.stringify(rest), 'utf8');
}
