import { readFile } from 'node:fs/promises';
import { useInMemoryTemplate } from '@caracal/server/testing';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a `dumpDataDir()` tarball of a migrated embedded database (embedded-template-setup.ts). */
    embeddedTemplatePath?: string;
  }
}

// Setup file: an in-memory server started by a test loads the migrated template instead of running
// initdb and every migration (seconds of CPU each). Servers with a `dataDir` or Postgres are unchanged.
const path = inject('embeddedTemplatePath');
if (path !== undefined) useInMemoryTemplate(new Blob([await readFile(path)]));
