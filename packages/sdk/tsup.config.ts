import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    propagation: 'src/propagation/index.ts',
    mcp: 'src/transport/mcp/index.ts',
    a2a: 'src/transport/a2a/index.ts',
    verify: 'src/verify/index.ts',
    admin: 'src/admin/index.ts',
  },
  format: ['esm'],
  // The private contract's types are inlined too, so no declaration imports @caracal/protocol. It
  // ships TypeScript sources: the second pattern lets its `./x.ts` imports resolve to them as well.
  dts: { resolve: ['@caracal/protocol', /^\.\.?\/.*\.ts$/] },
  // No source maps: the packages ship none (docs/decisions/2026-12-04-source-maps.md).
  sourcemap: false,
  clean: true,
  target: 'node22',
  // The wire contract is private: bundled, never a dependency users install.
  noExternal: ['@caracal/protocol'],
  splitting: true,
  treeshake: true,
});
