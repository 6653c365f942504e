import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    propagation: 'src/propagation/index.ts',
    mcp: 'src/transport/mcp/index.ts',
    a2a: 'src/transport/a2a/index.ts',
    verify: 'src/verify/index.ts',
  },
  format: ['esm'],
  dts: true,
  // No source maps: the packages ship none (docs/decisions/2026-12-04-source-maps.md).
  sourcemap: false,
  clean: true,
  target: 'node22',
  // The wire contract is private: bundled, never a dependency users install.
  noExternal: ['@caracal/protocol'],
  splitting: true,
  treeshake: true,
});
