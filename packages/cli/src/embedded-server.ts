import { CliError } from './errors.ts';
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

/** Starts the embedded server; any failure (port taken, bad database URL) becomes exit code 1 with the reason. */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  try {
    const startServer = await loadStartServer();
    return await startServer(options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('server_start_failed', `cannot start the server: ${reason}`, { cause: error });
  }
}
