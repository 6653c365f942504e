import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '@caracal/protocol';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { DEFAULT_LIMITS, type ServerConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { openEventBus } from '../../src/events/open-event-bus.ts';
import { newId } from '../../src/ids.ts';
import { serverContextOf, type ServerContext } from '../../src/server-context.ts';
import type { RunningServer } from '../../src/start-server.ts';
import { applyBootstrap } from '../../src/sts/bootstrap.ts';
import { createMandateVerifier } from '../../src/sts/mandate-verifier.ts';
import { closeOnBackend, type Backend } from './backends.ts';
import { testClock, type TestClock } from './test-clock.ts';
import { openTestDatabase } from './test-database.ts';

export { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '@caracal/protocol';

/** An application created by `bootstrapZone`, with the secret it was given. */
export interface FixtureApplication {
  id: string;
  secret: string;
  scopes: string[];
}

/** What `bootstrapZone` created. */
export interface ZoneFixture {
  zoneId: string;
  /** By the short names given in the options (default: `orchestrator` and `worker`). */
  applications: Record<string, FixtureApplication>;
  /** Resource identifier → accepted scopes. */
  resources: Record<string, string[]>;
}

export interface BootstrapZoneOptions {
  zoneId?: string;
  /** Short name → scopes (and admin flag). */
  applications?: Record<string, { scopes: string[]; admin?: boolean }>;
  resources?: Record<string, string[]>;
}

export const TOOLS_RESOURCE = 'mcp://tools.test';
export const FILES_RESOURCE = 'https://files.test/api';

const DEFAULT_APPLICATIONS = {
  orchestrator: { scopes: ['tools:call', 'tools:read', 'files:read'] },
  worker: { scopes: ['tools:call', 'tools:read', 'files:read'] },
};
const DEFAULT_RESOURCES = { [TOOLS_RESOURCE]: ['tools:call', 'tools:read'], [FILES_RESOURCE]: ['files:read'] };

const suffix = (): string => randomBytes(5).toString('hex');

/**
 * Creates a fresh zone with applications and resources through `applyBootstrap` (unique ids, so
 * many tests can share one server).
 * @example
 * const zone = await bootstrapZone(server);
 * const token = await clientCredentialsToken(server.url, zone.applications.orchestrator!.id, zone.applications.orchestrator!.secret);
 */
export async function bootstrapZone(server: { context: ServerContext } | RunningServer, options: BootstrapZoneOptions = {}): Promise<ZoneFixture> {
  const zoneId = options.zoneId ?? `zone_${suffix()}`;
  const applications: Record<string, FixtureApplication> = {};
  for (const [name, declared] of Object.entries(options.applications ?? DEFAULT_APPLICATIONS)) {
    applications[name] = { id: `app_${name}_${suffix()}`, secret: randomBytes(16).toString('base64url'), scopes: declared.scopes };
  }
  const resources = options.resources ?? DEFAULT_RESOURCES;
  await applyBootstrap('context' in server ? server.context : serverContextOf(server), {
    zones: [
      {
        id: zoneId,
        applications: Object.entries(applications).map(([name, application]) => ({
          id: application.id,
          secret: application.secret,
          scopes: application.scopes,
          admin: options.applications?.[name]?.admin ?? false,
        })),
        resources: Object.entries(resources).map(([id, scopes]) => ({ id, scopes })),
      },
    ],
  });
  return { zoneId, applications, resources };
}

/** A raw token endpoint call: status, JSON body and headers. */
export interface TokenEndpointAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** POSTs a form to `/oauth/2/token`; undefined values are left out. */
export async function tokenRequest(
  url: string,
  form: Record<string, string | undefined>,
  options: { headers?: Record<string, string> } = {},
): Promise<TokenEndpointAnswer> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value !== undefined) body.append(name, value);
  const response = await fetch(`${url}/oauth/2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

/** A session mandate by client_credentials; throws with the error body on refusal. */
export async function clientCredentialsToken(
  url: string,
  clientId: string,
  secret: string,
  options: { scope?: string } = {},
): Promise<string> {
  const answer = await tokenRequest(url, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: options.scope });
  if (answer.status !== 200) throw new Error(`client_credentials failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.access_token as string;
}

/** One RFC 8693 exchange, answered raw. */
export async function exchangeToken(
  url: string,
  request: { subjectToken: string; resource?: string; scope?: string; agentSessionId?: string; delegationEdgeId?: string },
): Promise<TokenEndpointAnswer> {
  return tokenRequest(url, {
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: request.subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    resource: request.resource,
    scope: request.scope,
    agent_session_id: request.agentSessionId,
    delegation_edge_id: request.delegationEdgeId,
  });
}

/** Decodes a JWT's payload without verifying it (tests inspect what the STS signed). */
export function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * An agent session row inserted directly (the Coordinator's table, columns of its contract), for
 * tests that need a session without going through the Coordinator routes.
 */
export async function insertAgentSession(
  database: Database,
  session: {
    zoneId: string;
    applicationId: string;
    parentId?: string;
    status?: 'active' | 'suspended' | 'terminated';
    scopes?: string[] | null;
    resourceId?: string | null;
    expiresAt?: Date | null;
    now?: number;
  },
): Promise<string> {
  const id = newId('agentsess', session.now ?? Date.now());
  await database.query(
    // Seats are the Coordinator's limit bookkeeping; rows made here bypass the limits on purpose.
    `INSERT INTO agent_sessions (id, zone_id, application_id, parent_id, root_id, status, depth, kind, scopes, resource_id,
       zone_seat, application_seat, spawned_at, expires_at)
     VALUES ($1, $2, $3, $4, $1, $5, 0, 'instance', $6::text[], $7, 0, 0, $8, $9)`,
    [
      id,
      session.zoneId,
      session.applicationId,
      session.parentId ?? null,
      session.status ?? 'active',
      session.scopes ?? null,
      session.resourceId ?? null,
      new Date(session.now ?? Date.now()),
      session.expiresAt ?? null,
    ],
  );
  return id;
}

/** A delegation edge row inserted directly (see insertAgentSession). */
export async function insertDelegationEdge(
  database: Database,
  edge: {
    zoneId: string;
    sourceSessionId: string;
    targetSessionId: string;
    issuerApplicationId: string;
    receiverApplicationId: string;
    parentEdgeId?: string | null;
    scopes: string[];
    resourceId?: string | null;
    maxHops?: number | null;
    budget?: number | null;
    constraints?: Record<string, unknown>;
    status?: 'active' | 'revoked' | 'expired';
    expiresAt: Date;
    now?: number;
  },
): Promise<string> {
  const id = newId('deledge', edge.now ?? Date.now());
  await database.query(
    `INSERT INTO delegation_edges (id, zone_id, source_session_id, target_session_id, issuer_application_id, receiver_application_id,
       parent_edge_id, scopes, resource_id, constraints, max_hops, budget_remaining, status, expires_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10::jsonb, $11, $12, $13, $14, $15)`,
    [
      id,
      edge.zoneId,
      edge.sourceSessionId,
      edge.targetSessionId,
      edge.issuerApplicationId,
      edge.receiverApplicationId,
      edge.parentEdgeId ?? null,
      edge.scopes,
      edge.resourceId ?? null,
      JSON.stringify(edge.constraints ?? {}),
      edge.maxHops ?? null,
      edge.budget ?? null,
      edge.status ?? 'active',
      edge.expiresAt,
      new Date(edge.now ?? Date.now()),
    ],
  );
  return id;
}

/** An app built without listening, on a backend, with an injected clock (tests use `inject()`). */
export interface StsTestApp {
  app: FastifyInstance;
  context: ServerContext;
  clock: TestClock;
  issuer: string;
  adminToken: string;
  /** The blueprint directories (a fresh temporary folder unless given). */
  agentsDir: string;
  close(): Promise<void>;
}

/** Builds the full app (STS + Coordinator) for `inject()` tests on `backend`, time under test control. */
export async function buildStsTestApp(
  backend: Backend,
  options: { adminToken?: string | null; limits?: ServerConfig['limits']; agentsDir?: string } = {},
): Promise<StsTestApp> {
  const schema = backend.schema();
  const database = await openTestDatabase(backend.databaseUrl === undefined ? {} : { databaseUrl: backend.databaseUrl, schema: schema! });
  const bus = await openEventBus(backend.redisUrl === undefined ? {} : { redisUrl: backend.redisUrl, keyPrefix: `${schema ?? 'sts'}:` });
  const clock = testClock();
  const adminToken = options.adminToken === null ? '' : (options.adminToken ?? `admin-${suffix()}`);
  const config: ServerConfig = {
    issuer: 'https://sts.caracal.test',
    adminToken: adminToken === '' ? undefined : adminToken,
    limits: options.limits ?? DEFAULT_LIMITS,
    eventSigningSecret: 'test-event-secret',
    keyEncryptionSecret: 'test-key-secret',
    jobs: false,
    maxMandateSeconds: 900,
    sessionMandateSeconds: 3600,
    // A runner's poll with nothing to claim waits at most this (the string fuzz may ask for 999 s).
    runs: { pollTimeoutSeconds: 1 },
    agentsDir: options.agentsDir ?? mkdtempSync(join(tmpdir(), 'caracal-agents-')),
  };
  const tokenVerifier = createMandateVerifier({ database, config, now: clock.now });
  const app = await buildApp({ database, bus, config, tokenVerifier, now: clock.now }, { logger: false });
  await app.ready();
  return {
    app,
    context: serverContextOf(app),
    clock,
    issuer: config.issuer,
    adminToken,
    agentsDir: config.agentsDir!,
    close: async () => {
      await closeOnBackend(schema, app, bus, database);
      if (options.agentsDir === undefined) rmSync(config.agentsDir!, { recursive: true, force: true });
    },
  };
}

/** `inject()` twin of `tokenRequest`. */
export async function injectTokenRequest(
  app: FastifyInstance,
  form: Record<string, string | undefined>,
  options: { headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) if (value !== undefined) body.append(name, value);
  const response = await app.inject({
    method: 'POST',
    url: '/oauth/2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    payload: body.toString(),
  });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

/** `inject()` of a token exchange of `subjectToken` (an access token), with the rest of the form. */
export function injectExchange(
  app: FastifyInstance,
  subjectToken: string,
  form: Record<string, string | undefined>,
  options: { headers?: Record<string, string> } = {},
): ReturnType<typeof injectTokenRequest> {
  return injectTokenRequest(app, { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, ...form }, options);
}

/** An application's session mandate from `client_credentials`, through `inject()`. */
export async function injectSessionToken(app: FastifyInstance, application: { id: string; secret: string }): Promise<string> {
  const answer = await injectTokenRequest(app, { grant_type: 'client_credentials', client_id: application.id, client_secret: application.secret });
  return answer.body.access_token as string;
}
