import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '@caracal/server';
import { dropSchema, serverOptionsOn, type Backend } from '../../../packages/server/test/helpers/backends.ts';

export const ZONE = 'zone_console';
export const ORCHESTRATOR_APP = 'app_orchestrator';
export const PARTNER_APP = 'app_partner';
export const TOOLS_RESOURCE = 'mcp://tools.console';
const SCOPES = ['tools:call', 'reports:write'];
const APPLICATIONS = [ORCHESTRATOR_APP, PARTNER_APP] as const;
export type ApplicationId = (typeof APPLICATIONS)[number];

/** A real server (port 0) on one backend, with the console's zone and an operator mandate for it. */
export interface ConsoleServer {
  readonly backend: Backend['name'];
  readonly url: string;
  readonly zoneId: string;
  /** The operator mandate the console signs in with (`/console/#token=…`). */
  readonly operatorToken: string;
  /** A JSON request as the operator, or as an application (its session mandate); throws on anything but 2xx. */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, as?: ApplicationId): Promise<T>;
  /** The same, answering the status and body whatever they are. */
  request(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface ConsoleServerOptions {
  /** Raised for the 500-session page (the defaults allow 50 live sessions per application and zone). */
  manySessions?: boolean;
}

async function send(url: string, method: string, token: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function clientCredentials(url: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${url}/oauth/2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || body.access_token === undefined) throw new Error(`client_credentials for ${clientId} answered ${response.status}`);
  return body.access_token;
}

export async function startConsoleServer(backend: Backend, options: ConsoleServerOptions = {}): Promise<ConsoleServer> {
  const schema = backend.schema();
  const adminToken = randomBytes(18).toString('base64url');
  const many = options.manySessions === true;
  const secrets = Object.fromEntries(APPLICATIONS.map((id) => [id, randomBytes(18).toString('base64url')])) as Record<ApplicationId, string>;
  let server: RunningServer | undefined;
  try {
    server = await startServer({
      port: 0,
      logger: false,
      adminToken,
      ...serverOptionsOn(backend, schema, { keyPrefix: `console_${randomBytes(4).toString('hex')}` }),
      ...(many ? { limits: { maxActivePerZoneApplication: 2_000, maxActivePerApplication: 2_000 } } : {}),
      bootstrap: {
        zones: [{
          id: ZONE,
          applications: APPLICATIONS.map((id) => ({ id, secret: secrets[id], scopes: SCOPES })),
          resources: [{ id: TOOLS_RESOURCE, scopes: ['tools:call'] }],
        }],
      },
    });
    const { url } = server;
    const minted = await send(`${url}/admin/zones/${ZONE}/operator-token`, 'POST', adminToken, { ttl_seconds: 3_600 });
    if (minted.status !== 200) throw new Error(`operator-token answered ${minted.status}: ${JSON.stringify(minted.body)}`);
    const operatorToken = minted.body.access_token as string;
    const running = server;
    // Sessions are spawned and delegated by their applications: an operator holds no scopes to hand on.
    const tokens = {} as Record<ApplicationId, string>;
    for (const id of APPLICATIONS) tokens[id] = await clientCredentials(url, id, secrets[id]);
    const request: ConsoleServer['request'] = (method, path, body, token = operatorToken) => send(`${url}${path}`, method, token, body);
    return {
      backend: backend.name,
      url,
      zoneId: ZONE,
      operatorToken,
      request,
      async api<T>(method: string, path: string, body?: unknown, as?: ApplicationId): Promise<T> {
        const answer = await request(method, path, body, as === undefined ? operatorToken : tokens[as]);
        if (answer.status < 200 || answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        return answer.body as T;
      },
      async close() {
        await running.close();
        await dropSchema(schema);
      },
    };
  } catch (error) {
    await server?.close();
    await dropSchema(schema);
    throw error;
  }
}
