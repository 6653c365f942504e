import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { DEFAULT_LIMITS, type ServerConfig, type SessionLimits } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import type { EventBus } from '../../src/events/event-bus.ts';
import { openEventBus } from '../../src/events/open-event-bus.ts';
import { closeOnBackend, databaseOptionsOn, type Backend } from '../helpers/backends.ts';
import { testClock, type TestClock } from '../helpers/test-clock.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { createTestTokens, type MintOptions } from '../helpers/test-tokens.ts';

export interface Harness {
  app: FastifyInstance;
  database: Database;
  bus: EventBus;
  clock: TestClock;
  /** The blueprint directories of this app (a temporary folder). */
  agentsDir: string;
  mint(options: MintOptions): Promise<string>;
  /** `app.inject` with a bearer and JSON body. */
  call(request: { method: string; url: string; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Builds one app on `backend` with test tokens and a fake clock (share it across a test file). */
export async function startHarness(
  backend: Backend,
  options: { maxConnections?: number; limits?: Partial<SessionLimits> } = {},
): Promise<Harness> {
  const schema = backend.schema();
  const database = await openTestDatabase({
    ...databaseOptionsOn(backend, schema),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
  });
  const bus = await openEventBus(backend.redisUrl === undefined ? {} : { redisUrl: backend.redisUrl });
  const tokens = await createTestTokens();
  // A fixed instant, 1 ms per reading: ids minted in one test stay ordered.
  const clock = testClock({ start: Date.parse('2030-01-01T00:00:00.000Z'), tickMs: 1 });
  const config: ServerConfig = {
    issuer: 'https://caracal.test',
    adminToken: undefined,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    eventSigningSecret: 'test-secret',
    keyEncryptionSecret: 'test-secret',
    jobs: false,
    maxMandateSeconds: 900,
    sessionMandateSeconds: 3600,
    agentsDir: mkdtempSync(join(tmpdir(), 'caracal-agents-')),
  };
  const app = await buildApp({ database, bus, config, tokenVerifier: tokens.verifier, now: clock.now }, { logger: false });
  return {
    app,
    database,
    bus,
    clock,
    agentsDir: config.agentsDir!,
    mint: tokens.mint,
    call: ({ method, url, token, body, headers }) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      }),
    close: async () => {
      await closeOnBackend(schema, app, bus, database);
      rmSync(config.agentsDir!, { recursive: true, force: true });
    },
  };
}

/** A token a file mints in its zone: a client id (default scopes), or the client id with options. */
export type TokenRequest = string | Omit<MintOptions, 'zoneId'>;

/**
 * A file's harness, started before its tests with `tokens` minted in `zoneId`, and closed after
 * them. `harness` forwards to the started one; `tokens` is filled in before the first test runs.
 */
export function useHarness<Name extends string = never>(
  backend: Backend,
  options: { zoneId?: string; tokens?: Record<Name, TokenRequest>; maxConnections?: number; limits?: Partial<SessionLimits>; seats?: number } = {},
): { harness: Harness; tokens: Record<Name, string> } {
  const { zoneId = 'zone_test', tokens: requests = {} as Record<Name, TokenRequest>, seats, ...harnessOptions } = options;
  // `seats` lifts both live-session limits at once, for files that spawn more than the defaults allow.
  if (seats !== undefined) harnessOptions.limits = { ...harnessOptions.limits, maxActivePerZoneApplication: seats, maxActivePerApplication: seats };
  let started: Harness | undefined;
  const current = (): Harness => {
    if (started === undefined) throw new Error('the harness starts in beforeAll: use it inside a hook or a test');
    return started;
  };
  const tokens = {} as Record<Name, string>;
  beforeAll(async () => {
    started = await startHarness(backend, harnessOptions);
    for (const name of Object.keys(requests) as Name[]) {
      const request = requests[name];
      tokens[name] = await started.mint(typeof request === 'string' ? { zoneId, clientId: request } : { zoneId, ...request });
    }
  });
  afterAll(async () => {
    await started?.close();
  });
  const harness: Harness = {
    get app() {
      return current().app;
    },
    get database() {
      return current().database;
    },
    get bus() {
      return current().bus;
    },
    get clock() {
      return current().clock;
    },
    get agentsDir() {
      return current().agentsDir;
    },
    mint: (mintOptions) => current().mint(mintOptions),
    call: (request) => current().call(request),
    close: () => current().close(),
  };
  return { harness, tokens };
}

/** Outbox rows of one event type (optionally for one session), to check each change enqueues once. */
export async function outboxEvents(
  database: Database,
  filter: { type: string; sessionId?: string },
): Promise<Array<{ topic: string; payload: Record<string, unknown> }>> {
  const result = await database.query<{ topic: string; payload: Record<string, unknown> }>(
    `SELECT topic, payload FROM caracal_outbox WHERE event_type = $1
       AND ($2::text IS NULL OR payload->>'agent_session_id' = $2 OR payload->>'delegation_edge_id' = $2)
     ORDER BY id`,
    [filter.type, filter.sessionId ?? null],
  );
  return result.rows;
}
