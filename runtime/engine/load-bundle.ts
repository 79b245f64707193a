// Loading a compiled bundle on a host: the build's output folder (its manifest names the
// bundle) or a bundle file (its manifest beside it, if any). With a public key, the manifest's
// ed25519 signature and the bundle's sha256 must verify before any bundle code runs.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signedBytes, type BundleManifest } from '../../compiler/emit/manifest.ts';
import { BUNDLE_ABI, type BundleModule } from './bundle-abi.ts';
import { BundleLoadError } from './bundle-runtime.ts';

export interface LoadedBundle {
  module: BundleModule;
  bundleFile: string;
  manifest?: BundleManifest;
}

function findFiles(path: string): { bundleFile: string; manifestFile?: string } {
  if (!existsSync(path)) throw new BundleLoadError(`${path}: no such file or folder (build one with: falcoc build <rules…> --outdir <folder>)`);
  if (statSync(path).isDirectory()) {
    const manifests = readdirSync(path).filter((f) => f.endsWith('.manifest.json')).sort();
    if (manifests.length === 0) throw new BundleLoadError(`${path}: no *.manifest.json here; is it the output folder of falcoc build?`);
    if (manifests.length > 1) throw new BundleLoadError(`${path}: several manifests (${manifests.join(', ')}); give the bundle file instead`);
    const manifestFile = join(path, manifests[0]!);
    return { bundleFile: join(path, readManifest(manifestFile).bundle), manifestFile };
  }
  const manifestFile = path.replace(/\.bundle\.mjs$/, '.manifest.json');
  return manifestFile !== path && existsSync(manifestFile) ? { bundleFile: path, manifestFile } : { bundleFile: path };
}

function readManifest(file: string): BundleManifest {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BundleManifest;
  } catch (e) {
    throw new BundleLoadError(`${file}: not a readable manifest: ${(e as Error).message}`);
  }
}

function verifySignature(manifest: BundleManifest, manifestFile: string, bundleBytes: Buffer, keyFile: string): void {
  if (!manifest.signature) throw new BundleLoadError(`${manifestFile}: the bundle is not signed, and a verification key was given (build with --sign)`);
  let key;
  try {
    key = createPublicKey(readFileSync(keyFile));
  } catch (e) {
    throw new BundleLoadError(`${keyFile}: not a public key: ${(e as Error).message}`);
  }
  const ok = verify(null, signedBytes(manifest), key, Buffer.from(manifest.signature.value, 'base64'));
  if (!ok) throw new BundleLoadError(`${manifestFile}: bad signature: the manifest was changed or signed with another key`);
  const sha = createHash('sha256').update(bundleBytes).digest('hex');
  if (sha !== manifest.bundle_sha256) throw new BundleLoadError(`${manifestFile}: the bundle file does not match the signed manifest (sha256 ${sha}); it was changed after the build`);
}

export async function loadBundle(path: string, opts: { verifyKey?: string } = {}): Promise<LoadedBundle> {
  const { bundleFile, manifestFile } = findFiles(path);
  const manifest = manifestFile ? readManifest(manifestFile) : undefined;
  if (manifest && manifest.abi !== BUNDLE_ABI) {
    throw new BundleLoadError(`${manifestFile}: built for runtime ABI ${manifest.abi}, this runtime speaks ABI ${BUNDLE_ABI}: rebuild it with this falcoc`);
  }
  if (opts.verifyKey) {
    if (!manifest || !manifestFile) throw new BundleLoadError(`${bundleFile}: no manifest beside it, so its signature cannot be checked`);
    verifySignature(manifest, manifestFile, readFileSync(bundleFile), opts.verifyKey);
  }
  let module: BundleModule;
  try {
    module = (await import(pathToFileURL(bundleFile).href)) as BundleModule;
  } catch (e) {
    throw new BundleLoadError(`${bundleFile}: not a loadable bundle: ${(e as Error).message}`);
  }
  if (typeof module.create !== 'function' || !Array.isArray(module.rules)) throw new BundleLoadError(`${bundleFile}: not a falcoc bundle (no create() and rules)`);
  if (module.abi !== BUNDLE_ABI) throw new BundleLoadError(`${bundleFile}: built for runtime ABI ${module.abi}, this runtime speaks ABI ${BUNDLE_ABI}: rebuild it with this falcoc`);
  return { module, bundleFile, ...(manifest ? { manifest } : {}) };
}

