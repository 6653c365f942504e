import type { BootstrapDocument } from './settings/bootstrap-document.ts';

/** The options of `startServer` (DESIGN §4) that the CLI passes. */
export interface EmbeddedServerOptions {
  port: number;
  host: string;
  databaseUrl?: string;
  redisUrl?: string;
  dataDir?: string;
  adminToken: string;
  bootstrap?: BootstrapDocument;
  logger: boolean | { level: string };
}

export interface EmbeddedServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Loads `@caracal/server` on demand. Only `server start` and `demo` call this: the client commands
 * must never pay for (or depend on) the server's code. The specifier is held in a variable so
 * neither tsup nor tsc follow it: the bundle keeps a runtime import, and the CLI typechecks
 * without the server's build; the shape is declared above and proven by the built-binary tests.
 */
export async function loadStartServer(): Promise<(options: EmbeddedServerOptions) => Promise<EmbeddedServer>> {
  const specifier = '@caracal/server';
  const module = (await import(specifier)) as { startServer?: unknown };
  if (typeof module.startServer !== 'function') throw new Error('@caracal/server does not export startServer');
  return module.startServer as (options: EmbeddedServerOptions) => Promise<EmbeddedServer>;
}
