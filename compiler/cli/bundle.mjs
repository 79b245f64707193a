// Bundles TypeScript entry points into single ES modules for Node (fast cold start: no
// TypeScript at run time, no module resolution across node_modules). As a script it builds the
// falcoc command (`npm run build:cli`, run on `npm install`); bench/ reuses bundleForNode().
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// proto-loader's parser (its own dependency, bundled with it anyway).
import protobuf from 'protobufjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

// CommonJS dependencies call require() for Node built-ins; give the ES module one.
const REQUIRE_SHIM = "import { createRequire as __falcocRequire } from 'node:module';\nconst require = __falcocRequire(import.meta.url);";

/** The gRPC .proto files (runtime/outputs/grpc) parsed now, so the bundle carries them inline:
 * runtime/outputs/grpc/definitions.ts reads __FALCOC_GRPC_PROTOS__ instead of the files. */
export function grpcProtosJson() {
  const dir = join(root, 'runtime/outputs/grpc');
  const protos = new protobuf.Root();
  // Imports between the files resolve in their folder (google/protobuf/* are protobufjs's own).
  protos.resolvePath = (_origin, target) => join(dir, target);
  protos.loadSync(['outputs.proto', 'version.proto'], { keepCase: true });
  return JSON.stringify(protos.toJSON());
}

/** `entry`: a file, or { contents } of an in-memory module resolved from the repository root. */
export async function bundleForNode(entry, outfile, { shebang = false } = {}) {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } }),
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    // esbuild ships a native binary per platform: loaded from node_modules, never bundled.
    external: ['esbuild'],
    define: { __FALCOC_GRPC_PROTOS__: grpcProtosJson() },
    banner: { js: (shebang ? '#!/usr/bin/env node\n' : '') + REQUIRE_SHIM },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = join(root, 'generated/cli/falcoc.mjs');
  await bundleForNode(join(root, 'compiler/cli/falcoc.ts'), outfile, { shebang: true });
  chmodSync(outfile, 0o755);
}
