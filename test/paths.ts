// Locations of the shared reference material and the built CLI, for tests.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const sharedDir = resolve(repoRoot, '../shared');
export const conformanceDir = process.env.FALCOC_CONFORMANCE_DIR ?? resolve(sharedDir, 'conformance');
export const upstreamRulesDir = resolve(sharedDir, 'upstream/rules');
export const cliPath = resolve(repoRoot, 'generated/cli/falcoc.mjs');

/** The three syscall rule files, in the order they must be loaded. */
export const upstreamSyscallFiles = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) =>
  resolve(upstreamRulesDir, f),
);
export const upstreamPluginFiles = ['k8s_audit_rules.yaml', 'aws_cloudtrail_rules.yaml', 'okta_rules.yaml', 'github_rules.yaml'].map((f) =>
  resolve(upstreamRulesDir, f),
);
