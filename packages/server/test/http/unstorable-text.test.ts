import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { DEFAULT_LIMITS } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import type { EventBus } from '../../src/events/event-bus.ts';
import { openEventBus } from '../../src/events/open-event-bus.ts';
import { dropSchema, testBackends } from '../helpers/backends.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { createTestTokens } from '../helpers/test-tokens.ts';

/**
 * The backstop behind the wire-text guard: text that reaches Postgres by a way the guard does not
 * see (a header here) and that Postgres cannot store is a 400, not a 500.
 */
describe.each(testBackends())('text Postgres cannot store, on $name', (backend) => {
  let app: FastifyInstance;
  let database: Database;
  let bus: EventBus;
  const schema = backend.schema();

  beforeAll(async () => {
    database = await openTestDatabase(backend.databaseUrl === undefined ? {} : { databaseUrl: backend.databaseUrl, schema: schema! });
    bus = await openEventBus({});
    const tokens = await createTestTokens();
    app = await buildApp(
      {
        database,
        bus,
        config: {
          issuer: 'https://caracal.test',
          adminToken: undefined,
          limits: DEFAULT_LIMITS,
          eventSigningSecret: 'test-event-secret',
          keyEncryptionSecret: 'test-key-secret',
          jobs: false,
          maxMandateSeconds: 900,
          sessionMandateSeconds: 3600,
        },
        tokenVerifier: tokens.verifier,
        now: Date.now,
      },
      { logger: false },
    );
    // A careless route, as a future change might add: it stores a header's text as it came.
    app.post('/test/store-header', async (request) => {
      const note = Buffer.from(String(request.headers['x-note']), 'base64').toString('utf8');
      const as = String(request.headers['x-as']);
      await database.query(as === 'json' ? 'SELECT $1::jsonb AS note' : 'SELECT $1::text AS note', [as === 'json' ? JSON.stringify({ note }) : note]);
      return { stored: true };
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await bus?.close();
    await database?.close();
    await dropSchema(schema);
  });

  it('answers NUL in text and \\u0000 in JSON with 400 invalid_request', async () => {
    const store = (note: string, as: 'text' | 'json') =>
      app.inject({ method: 'POST', url: '/test/store-header', headers: { 'x-note': Buffer.from(note).toString('base64'), 'x-as': as } });
    expect((await store('fine', 'text')).statusCode).toBe(200);
    for (const as of ['text', 'json'] as const) {
      const refused = await store('a\u0000b', as);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual({ error: 'invalid_request', error_description: 'text must be well-formed Unicode without NUL (U+0000)' });
    }
  });
});
