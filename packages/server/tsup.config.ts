import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing.ts', main: 'src/main.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', testing: 'src/testing.ts' } },
  // No source maps: the packages ship none (docs/decisions/2026-12-04-source-maps.md).
  sourcemap: false,
  clean: true,
  target: 'node22',
  // The wire contract is private: bundled, never a dependency users install.
  noExternal: ['@caracal/protocol'],
});
