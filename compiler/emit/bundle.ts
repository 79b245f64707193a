// plan → files: the generated TypeScript (kept for `falcoc explain` and for reading), the
// esbuild-bundled ES module and the manifest. Deterministic: no time stamps, no absolute
// paths, stable ordering, so the same rules give byte-identical output.
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Plan } from '../plan/plan.ts';
import { ENGINE_VERSION, FALCOC_VERSION } from '../version.ts';
import { eventName } from '../../runtime/events/event-index.ts';
import { BUNDLE_ABI } from '../../runtime/engine/bundle-abi.ts';
import { bundleRules, emitEvaluator } from './emit-evaluator.ts';
import { MANIFEST_FORMAT, signedBytes, type BundleManifest } from './manifest.ts';

export interface BundleInput {
  plan: Plan;
  /** The rules files in load order: name (only the base name is recorded) and text. */
  sources: readonly { name: string; text: string }[];
  outdir: string;
  /** Base name of the output files (default "rules"). */
  name?: string;
  /** PEM ed25519 private key file: sign the manifest. */
  signKey?: string;
}

export interface BundleOutput {
  bundleFile: string;
  manifestFile: string;
  sourceFile: string;
  bundleBytes: number;
  manifest: BundleManifest;
}

const baseName = (p: string) => p.replace(/^.*[\\/]/, '');
const sha256 = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');

export function rulesetHash(sources: BundleInput['sources']): string {
  const h = createHash('sha256');
  for (const s of sources) h.update(baseName(s.name)).update('\0').update(s.text, 'utf8').update('\0');
  return `sha256:${h.digest('hex')}`;
}

/** The generated evaluator's first comment lines. */
export function evaluatorHeader(rulesetHash: string): string[] {
  return [`falcoc ${FALCOC_VERSION} compiled evaluator (runtime ABI ${BUNDLE_ABI}); generated, do not edit`, `ruleset ${rulesetHash}`];
}

export async function writeBundle(input: BundleInput): Promise<BundleOutput> {
  const name = input.name ?? 'rules';
  const { plan } = input;
  const hash = rulesetHash(input.sources);
  const ts = emitEvaluator(plan, { header: evaluatorHeader(hash) });
  const result = await build({
    stdin: { contents: ts, loader: 'ts', sourcefile: `${name}.evaluator.ts` },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'node20',
    legalComments: 'none',
    sourcemap: 'external',
    sourcesContent: true,
    outfile: join(input.outdir, `${name}.bundle.mjs`),
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))!;
  const bundleFile = `${name}.bundle.mjs`;
  const jsText = `${js.text}//# sourceMappingURL=${bundleFile}.map\n`;
  const rules = bundleRules(plan);
  const names = (codes: readonly number[]) => [...new Set(codes.map(eventName))].sort();
  const manifest: BundleManifest = {
    format: MANIFEST_FORMAT,
    abi: BUNDLE_ABI,
    compiler_version: FALCOC_VERSION,
    engine_version: ENGINE_VERSION,
    ruleset_hash: hash,
    bundle: bundleFile,
    bundle_sha256: sha256(jsText),
    source: plan.source,
    sources: [...(plan.rules.some((r) => r.source === plan.source) ? [plan.source] : []), ...plan.sources.map((s) => s.source)],
    rules: rules.map((r, i) => ({ ...r, event_types: names(plan.codesByRule[i]!) })),
    event_types: names(plan.ruleCodes),
    kernel_event_codes: plan.kernelCodes,
    kernel_event_types: names(plan.kernelCodes),
    fields: plan.fields,
    // Built entry by entry: a source name is rule text, and `__proto__` must stay a plain key.
    source_fields: Object.fromEntries(plan.sources.map((s) => [s.source, s.fields])),
  };
  if (input.signKey) {
    const key = createPrivateKey(readFileSync(input.signKey));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${input.signKey}: not an ed25519 private key (make one with: openssl genpkey -algorithm ed25519)`);
    manifest.signature = { algorithm: 'ed25519', value: sign(null, signedBytes(manifest), key).toString('base64') };
  }
  mkdirSync(input.outdir, { recursive: true });
  const out = {
    bundleFile: join(input.outdir, bundleFile),
    manifestFile: join(input.outdir, `${name}.manifest.json`),
    sourceFile: join(input.outdir, `${name}.evaluator.ts`),
  };
  writeFileSync(out.sourceFile, ts);
  writeFileSync(out.bundleFile, jsText);
  writeFileSync(`${out.bundleFile}.map`, map.text);
  writeFileSync(out.manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return { ...out, bundleBytes: Buffer.byteLength(jsText), manifest };
}
