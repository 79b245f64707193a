import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Compiled rule bundles are plain ES modules: Node loads them as hosts do, not vite's transform.
    server: { deps: { external: [/\.bundle\.mjs$/] } },
  },
});
