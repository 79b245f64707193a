// Bundles the falcoc command into one ES module (fast cold start: no TypeScript at run time,
// no module resolution across node_modules). Run by `npm run build:cli` and on `npm install`.
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const outfile = join(root, 'generated/cli/falcoc.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, 'compiler/cli/falcoc.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies call require() for Node built-ins; give the ES module one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __falcocRequire } from 'node:module';\nconst require = __falcocRequire(import.meta.url);",
  },
});
chmodSync(outfile, 0o755);
