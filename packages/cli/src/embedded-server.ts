import { CliError } from './errors.ts';
import type { BootstrapDocument } from '@caracal/protocol';

/** The options of `startServer` that the CLI passes (the server's own type is not imported: see loadStartServer). */
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

/** The optional peer that runs the server; operators who only run client commands never install it. */
export const SERVER_PACKAGE = '@caracal/server';

type ImportModule = (specifier: string) => Promise<unknown>;

/**
 * Loads `@caracal/server` on demand. Only `server start` and `demo` call this: the client commands
 * must never pay for (or depend on) the server's code. The specifier is held in a variable so
 * neither tsup nor tsc follow it: the bundle keeps a runtime import, and the CLI typechecks
 * without the server's build; the shape is declared above and proven by the built-binary tests.
 * When the package is not installed, `command` asks for it by name (exit 3, like any missing
 * prerequisite).
 */
export async function loadStartServer(
  command: string,
  importModule: ImportModule = (specifier) => import(specifier),
): Promise<(options: EmbeddedServerOptions) => Promise<EmbeddedServer>> {
  let module: { startServer?: unknown };
  try {
    module = (await importModule(SERVER_PACKAGE)) as { startServer?: unknown };
  } catch (error) {
    if (isMissingServerPackage(error)) {
      throw new CliError('missing_package', `${command} needs ${SERVER_PACKAGE}: npm install ${SERVER_PACKAGE}`, { cause: error });
    }
    throw error;
  }
  if (typeof module.startServer !== 'function') throw new Error(`${SERVER_PACKAGE} does not export startServer`);
  return module.startServer as (options: EmbeddedServerOptions) => Promise<EmbeddedServer>;
}

/** Node's answer for the package itself being absent; a missing dependency *of* the server is another failure. */
function isMissingServerPackage(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
    error.message.includes(`'${SERVER_PACKAGE}'`)
  );
}

/**
 * Starts the embedded server for `command` (as the operator typed it). A missing server package
 * is asked for by name; a bootstrap document the server refuses is a configuration error (exit 3,
 * with the field's path); any other failure (port taken, bad database URL) becomes exit code 1
 * with the reason.
 */
export async function startEmbeddedServer(command: string, options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  try {
    const startServer = await loadStartServer(command);
    return await startServer(options);
  } catch (error) {
    if (error instanceof CliError) throw error;
    // The server's BootstrapError (recognised by name: the server is not imported) names the field.
    if (error instanceof Error && error.name === 'BootstrapError') throw new CliError('invalid_config', error.message, { cause: error });
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('server_start_failed', `cannot start the server: ${reason}`, { cause: error });
  }
}
