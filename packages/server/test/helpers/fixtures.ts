import { test } from 'vitest';
import { openEventBackend, type EventBackend } from '../events/support/event-backend.ts';
import { dropSchema, serverOptionsOn, type Backend } from './backends.ts';
import { startTestServer } from './start-test-server.ts';
import type { RunningServer, StartServerOptions } from '../../src/start-server.ts';
import { buildStsTestApp, type StsTestApp } from './sts-fixtures.ts';

/** Opens one resource per backend on first use; `close` closes every one opened. */
interface PerBackend<T> {
  on(backend: Backend): Promise<T>;
  close(): Promise<void>;
}

function perBackend<T extends { close(): Promise<void> }>(open: (backend: Backend) => Promise<T>): PerBackend<T> {
  const opened = new Map<string, Promise<T>>();
  return {
    on(backend) {
      let resource = opened.get(backend.name);
      if (resource === undefined) {
        resource = open(backend);
        opened.set(backend.name, resource);
      }
      return resource;
    },
    async close() {
      const settled = await Promise.allSettled(opened.values());
      await Promise.all(settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.close()] : [])));
    },
  };
}

const EMBEDDED: Backend = { name: 'embedded', schema: () => undefined };

/**
 * Server test fixtures: a suite runs once per backend and its tests take what they use.
 * `sts` (the whole app for `inject()`, time under test control) and `events` (a database and
 * buses) are built on first use, once per backend and file, and closed when the file ends.
 * @example
 * describe.each(testBackends())('bootstrap on $name', (backend) => {
 *   serverTest.override('backend', backend);
 *   serverTest('creates what is declared', async ({ sts }) => { … });
 * });
 */
export const serverTest = test
  .extend('backend', EMBEDDED)
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  .extend('stsApps', { scope: 'file' }, async ({}, { onCleanup }) => {
    const apps = perBackend<StsTestApp>((backend) => buildStsTestApp(backend));
    onCleanup(() => apps.close());
    return apps;
  })
  // eslint-disable-next-line no-empty-pattern -- as above
  .extend('eventBackends', { scope: 'file' }, async ({}, { onCleanup }) => {
    const backends = perBackend<EventBackend>(openEventBackend);
    onCleanup(() => backends.close());
    return backends;
  })
  /** A fresh schema for this test (none on the embedded backend), dropped after it. */
  .extend('schema', ({ backend }, { onCleanup }) => {
    const schema = backend.schema();
    onCleanup(() => dropSchema(schema));
    return schema;
  })
  /**
   * Starts a real server on port 0 on the test's backend and schema (`redis` as `serverOptionsOn`
   * takes it), closed after the test and before its schema is dropped.
   */
  .extend('startServer', ({ backend, schema }, { onCleanup }) => {
    const started: RunningServer[] = [];
    onCleanup(async () => {
      for (const server of started) await server.close();
    });
    return async (options: Partial<StartServerOptions> = {}, redis: Parameters<typeof serverOptionsOn>[2] = {}): Promise<RunningServer> => {
      const server = await startTestServer({ port: 0, logger: false, ...serverOptionsOn(backend, schema, redis), ...options });
      started.push(server);
      return server;
    };
  })
  .extend('sts', ({ backend, stsApps }) => stsApps.on(backend))
  .extend('events', ({ backend, eventBackends }) => eventBackends.on(backend));
