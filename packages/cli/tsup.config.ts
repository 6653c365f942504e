import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { bin: 'src/bin.ts' },
  format: ['esm'],
  // No source maps: the packages ship none (docs/decisions/2026-12-04-source-maps.md).
  sourcemap: false,
  clean: true,
  target: 'node22',
  // Chunks let the server and undici stay behind dynamic imports; bin.js itself stays tiny.
  splitting: true,
  // commander is loaded by every invocation: one bundled file starts faster than its seven modules.
  // The SDK's admin client (no dependencies of its own) is bundled too, so an operator's install
  // needs no @caracal/sdk and the CLI runs the very client code the SDK ships.
  noExternal: ['commander', '@caracal/protocol', '@caracal/sdk'],
});
