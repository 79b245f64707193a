// What the benchmarks share: numeric flags, where the shared reference material is, and the
// three upstream syscall rule files they all measure with.
import { join, resolve } from 'node:path';

/** `--name N` from the command line, else `dflt`. */
export function numberArg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

/** ../shared beside the checkout, or FALCOC_SHARED. */
export const sharedDirOf = (root) => resolve(process.env.FALCOC_SHARED ?? join(root, '../shared'));

export const upstreamRulesOf = (shared) =>
  ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => join(shared, 'upstream/rules', f));
