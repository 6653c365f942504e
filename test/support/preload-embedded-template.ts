import { readFile } from 'node:fs/promises';
import { useInMemoryTemplate } from '@caracal/server/testing';

// Preloaded (`node --import`) into a child process a test starts, such as an example or the CLI:
// its in-memory servers load the run's migrated template (embedded-template-setup.ts) instead of
// running initdb and every migration. Without the variable the process is unchanged.
const path = process.env.CARACAL_TEST_EMBEDDED_TEMPLATE;
if (path !== undefined && path !== '') useInMemoryTemplate(new Blob([await readFile(path)]));
