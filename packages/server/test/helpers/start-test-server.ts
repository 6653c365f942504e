import { useInMemoryTemplate } from '../../src/db/in-memory-template.ts';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/start-server.ts';
import { migratedTemplate } from './test-database.ts';

/**
 * `startServer` for tests: an in-memory embedded database loads the run's migrated template
 * instead of running initdb and every migration (seconds of CPU). The hook is cleared once the
 * server has started, because the project's files share a worker and the migration test needs an
 * empty cluster; files in a worker run one at a time, so no other start sees it.
 */
export async function startTestServer(options: StartServerOptions): Promise<RunningServer> {
  useInMemoryTemplate(await migratedTemplate());
  try {
    return await startServer(options);
  } finally {
    useInMemoryTemplate(undefined);
  }
}
