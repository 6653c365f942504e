import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { testBackends, type Backend } from '../../../packages/server/test/helpers/backends.ts';
import { launchBrowser } from './chromium.ts';
import { startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from './console-server.ts';

export { browserAvailable } from './chromium.ts';
export const backends: Backend[] = testBackends();

/** The file's one browser, launched before its tests and closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error('the browser is not launched');
    return browser;
  };
}

/** A console server on `backend` for the enclosing describe, seeded by `seed`. */
export function useServer<Seed>(
  backend: Backend,
  seed: (server: ConsoleServer) => Promise<Seed>,
  options: ConsoleServerOptions & { seedTimeoutMs?: number } = {},
): () => { server: ConsoleServer; seeded: Seed } {
  let state: { server: ConsoleServer; seeded: Seed } | undefined;
  beforeAll(async () => {
    const server = await startConsoleServer(backend, options);
    try {
      state = { server, seeded: await seed(server) };
    } catch (error) {
      await server.close();
      throw error;
    }
  }, options.seedTimeoutMs);
  afterAll(async () => {
    await state?.server.close();
  });
  return () => {
    if (state === undefined) throw new Error('the server is not started');
    return state;
  };
}

