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
  /** What the server chose by itself (generated secrets, a derived issuer), one sentence each. */
  notices?: readonly string[];
  close(): Promise<void>;
}

/** The server's settings as its reader resolved them; only the fields the CLI reports on are named. */
export interface EmbeddedServerSettings {
  databaseUrl: string | undefined;
  dataDir: string | undefined;
  redisUrl: string | undefined;
  adminToken: string | undefined;
}

/**
 * The parts of `@caracal/server` the CLI uses: its one settings reader (shared with the server's
 * own `main.ts`), the mapping to `startServer` options, and `startServer`.
 */
export interface ServerModule {
  startServer(options: EmbeddedServerOptions | object): Promise<EmbeddedServer>;
  readServerSettings(sources: {
    flags?: Readonly<Record<string, string | number | boolean>>;
    configPath?: string;
    env?: Readonly<Record<string, string | undefined>>;
  }): Promise<EmbeddedServerSettings>;
  startOptionsFrom(settings: EmbeddedServerSettings): object;
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
  return (await loadServerModule(command, importModule)).startServer;
}

/** Loads `@caracal/server` on demand (see `loadStartServer`) with its settings reader. */
export async function loadServerModule(command: string, importModule: ImportModule = (specifier) => import(specifier)): Promise<ServerModule> {
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
  return module as ServerModule;
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
export async function startEmbeddedServer(command: string, options: EmbeddedServerOptions | object, server?: ServerModule): Promise<EmbeddedServer> {
  try {
    return await (server ?? (await loadServerModule(command))).startServer(options);
  } catch (error) {
    throw asCliError(error);
  }
}

/**
 * A settings or bootstrap problem the server names (`ServerSettingsError`: which setting, from
 * where; `BootstrapError`: the field's path) is a configuration error, exit 3, printed as the
 * server worded it; any other failure is exit 1.
 */
export function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  // The server's own errors are recognised by name (the server is not imported): a settings problem
  // names the setting and its source, a BootstrapError the field's path.
  if (error instanceof Error && (error.name === 'ServerSettingsError' || error.name === 'BootstrapError')) {
    return new CliError('invalid_config', error.message, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new CliError('server_start_failed', `cannot start the server: ${reason}`, { cause: error });
}
