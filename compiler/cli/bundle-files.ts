// Finding a built bundle's manifest and generated source for commands that read them without
// running the bundle (`falcoc explain --bundle`): the output folder of `falcoc build`, the
// manifest itself, or the `.bundle.mjs` with its manifest beside it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BundleManifest } from '../emit/manifest.ts';
import { BundleLoadError } from '../../runtime/engine/bundle-runtime.ts';

export interface BundleFiles {
  manifestFile: string;
  manifest: BundleManifest;
  /** `<name>.evaluator.ts`, beside the manifest (base name). */
  evaluatorFile: string;
  /** Its text, when present. */
  evaluatorText?: string;
}

function manifestOf(path: string): string {
  if (!existsSync(path)) throw new BundleLoadError(`${path}: no such file or folder (build one with: falcoc build <rules…> --outdir <folder>)`);
  if (statSync(path).isDirectory()) {
    const manifests = readdirSync(path).filter((f) => f.endsWith('.manifest.json')).sort();
    if (manifests.length === 0) throw new BundleLoadError(`${path}: no *.manifest.json here; is it the output folder of falcoc build?`);
    if (manifests.length > 1) throw new BundleLoadError(`${path}: several manifests (${manifests.join(', ')}); give one of them instead`);
    return join(path, manifests[0]!);
  }
  if (path.endsWith('.manifest.json')) return path;
  const beside = path.replace(/\.bundle\.mjs$/, '.manifest.json');
  if (beside !== path && existsSync(beside)) return beside;
  throw new BundleLoadError(`${path}: no manifest beside it (expected ${basename(beside)})`);
}

export function readBundleFiles(path: string): BundleFiles {
  const manifestFile = manifestOf(path);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BundleManifest;
  } catch (e) {
    throw new BundleLoadError(`${manifestFile}: not a readable manifest: ${(e as Error).message}`);
  }
  if (!Array.isArray(manifest.rules)) throw new BundleLoadError(`${manifestFile}: not a falcoc bundle manifest (no rules)`);
  const evaluatorFile = `${basename(manifestFile).replace(/\.manifest\.json$/, '')}.evaluator.ts`;
  const evaluatorPath = join(dirname(manifestFile), evaluatorFile);
  return {
    manifestFile,
    manifest,
    evaluatorFile,
    ...(existsSync(evaluatorPath) ? { evaluatorText: readFileSync(evaluatorPath, 'utf8') } : {}),
  };
}
