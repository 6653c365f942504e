import { cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing.ts', main: 'src/main.ts' },
  format: ['esm'],
  // The private contract's types are inlined too, so no declaration imports @caracal/protocol. It
  // ships TypeScript sources: the second pattern lets its `./x.ts` imports resolve to them as well.
  dts: { entry: { index: 'src/index.ts', testing: 'src/testing.ts' }, resolve: ['@caracal/protocol', /^\.\.?\/.*\.ts$/] },
  // No source maps: the packages ship none (docs/decisions/2026-12-04-source-maps.md).
  sourcemap: false,
  clean: true,
  target: 'node22',
  // The wire contract is private: bundled, never a dependency users install.
  noExternal: ['@caracal/protocol'],
  // The operator console (built before the server: it is a dev dependency) ships inside dist, so a
  // built or packed server serves it at /console.
  onSuccess: async () => {
    const built = new URL('../console/dist/', import.meta.url);
    if (!existsSync(new URL('index.html', built))) throw new Error('packages/console is not built: run the root `pnpm run build`');
    await cp(built, new URL('./dist/console/', import.meta.url), { recursive: true });
  },
});
