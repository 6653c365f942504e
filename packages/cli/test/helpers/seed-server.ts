import { startServer } from '@caracal/server';
import type { ServerBackend } from './server-backends.ts';
import { fakeIo, type RecordingIo } from './fake-io.ts';

export const SEED_ZONE = 'zone_seedcli';
const RESOURCE = 'mcp://tools.seedcli';
const APPLICATIONS = { one: 'app_seedone', two: 'app_seedtwo' } as const;
const SECRET = 'seed-cli-application-secret';

/** The real server in this process on port 0, with two applications, and bearers for each and for an operator. */
export interface SeedServer {
  url: string;
  /** The admin API's bearer (`CARACAL_ADMIN_TOKEN`). */
  adminToken: string;
  tokens: { operator: string; one: string; two: string };
  /** A call of the session routes with a bearer; throws on a non-2xx with the server's answer. */
  call(method: 'GET' | 'POST' | 'DELETE', path: string, token: string, body?: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startSeedServer(backend: ServerBackend): Promise<SeedServer> {
  const adminToken = `admin-${Math.random().toString(36).slice(2)}`;
  const server = await startServer({
    port: 0,
    adminToken,
    logger: false,
    ...backend.serverOptions(),
    bootstrap: {
      zones: [
        {
          id: SEED_ZONE,
          applications: Object.values(APPLICATIONS).map((id) => ({ id, secret: SECRET, scopes: ['tools:call'] })),
          resources: [{ id: RESOURCE, scopes: ['tools:call'] }],
        },
      ],
    },
  });
  const call = async (method: string, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const grant = async (clientId: string): Promise<string> => {
    const response = await fetch(`${server.url}/oauth/2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: SECRET, scope: 'tools:call' }).toString(),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!response.ok || body.access_token === undefined) throw new Error(`client credentials grant failed: ${response.status} ${JSON.stringify(body)}`);
    return body.access_token;
  };
  try {
    const operator = String((await call('POST', `/admin/zones/${SEED_ZONE}/operator-token`, adminToken, {})).access_token);
    return { url: server.url, adminToken, tokens: { operator, one: await grant(APPLICATIONS.one), two: await grant(APPLICATIONS.two) }, call, close: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** A recording io whose output can be awaited: `--follow` tests wait on what it printed, never on time. */
export interface WatchedIo extends RecordingIo {
  /** Resolves once stdout satisfies `predicate`. */
  stdoutMatches(predicate: (stdout: string) => boolean): Promise<void>;
  /** Resolves once stderr satisfies `predicate`. */
  stderrMatches(predicate: (stderr: string) => boolean): Promise<void>;
  /** What Ctrl-C does in bin.ts: resolves the command's `waitForShutdown`. */
  interrupt(): void;
}

export function watchedIo(env: Record<string, string>): WatchedIo {
  const base = fakeIo({ env });
  const waiters: Array<() => boolean> = [];
  const settle = (): void => {
    for (const waiter of [...waiters]) if (waiter()) waiters.splice(waiters.indexOf(waiter), 1);
  };
  const matcher = (read: () => string) => (predicate: (text: string) => boolean) =>
    new Promise<void>((resolve) => {
      const waiter = (): boolean => (predicate(read()) ? (resolve(), true) : false);
      if (!waiter()) waiters.push(waiter);
    });
  let interrupt = (): void => {};
  const shutdown = new Promise<string>((resolve) => (interrupt = () => resolve('SIGINT')));
  return {
    ...base,
    stdout: { write: (chunk: string) => (base.stdout.write(chunk), settle()) },
    stderr: { write: (chunk: string) => (base.stderr.write(chunk), settle()) },
    waitForShutdown: () => shutdown,
    stdoutMatches: matcher(() => base.out()),
    stderrMatches: matcher(() => base.err()),
    interrupt: () => interrupt(),
  };
}
