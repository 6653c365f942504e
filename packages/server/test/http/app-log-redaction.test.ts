import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { DEFAULT_LIMITS, type ServerConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import type { EventBus } from '../../src/events/event-bus.ts';
import { openEventBus } from '../../src/events/open-event-bus.ts';
import { appRedactPaths, redactUrl } from '../../src/http/log-redaction.ts';
import { STS_REDACT_PATHS } from '../../src/sts/http/log-redaction.ts';
import { createTestTokens } from '../helpers/test-tokens.ts';

const ZONE = 'zone_logs';
const ADMIN_TOKEN = 'admin-token-SECRET-0001';

describe('app-wide log redaction', () => {
  const lines: string[] = [];
  let app: FastifyInstance;
  let database: Database;
  let bus: EventBus;
  let url: string;
  let mandate: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    bus = await openEventBus({});
    const tokens = await createTestTokens();
    mandate = await tokens.mint({ zoneId: ZONE, clientId: 'app_logs', scopes: ['agent:lifecycle'] });
    const config: ServerConfig = {
      issuer: 'https://caracal.test',
      adminToken: ADMIN_TOKEN,
      limits: DEFAULT_LIMITS,
      eventSigningSecret: 'event-signing-SECRET-0002',
      keyEncryptionSecret: 'key-encryption-SECRET-0003',
      jobs: false,
      maxMandateSeconds: 900,
      sessionMandateSeconds: 3600,
    };
    // The real pino destination, written to memory: every line the app writes, as it writes it.
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
        done();
      },
    });
    app = await buildApp({ database, bus, config, tokenVerifier: tokens.verifier, now: Date.now }, { logger: { level: 'trace' }, logStream: stream });
    // A careless route, as a future change might add: it logs whole headers, bodies and queries.
    app.post('/test/careless', async (request) => {
      request.log.info(
        {
          headers: request.headers,
          req: { headers: request.headers },
          form: request.body,
          query: request.query,
          config: { adminToken: ADMIN_TOKEN, eventSigningSecret: config.eventSigningSecret, jobs: false },
        },
        'careless log line',
      );
      return { ok: true };
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await bus?.close();
    await database?.close();
  });

  it('writes no secret of any request, whatever logs it', async () => {
    const secrets = {
      mandate,
      cookie: 'cookie-SECRET-0004',
      basic: Buffer.from('app_logs:basic-SECRET-0005').toString('base64'),
      clientSecret: 'client-secret-SECRET-0006',
      subjectToken: 'subject-token-SECRET-0007',
      actorToken: 'actor-token-SECRET-0008',
      accessToken: 'access-token-SECRET-0009',
      queryToken: 'feed-token-SECRET-0010',
      querySecret: 'query-secret-SECRET-0011',
      password: 'password-SECRET-0012',
    };

    // A Coordinator request with a real mandate and a cookie.
    const spawned = await fetch(`${url}/zones/${ZONE}/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mandate}`, cookie: `session=${secrets.cookie}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(spawned.status).toBe(201);
    // A live feed authenticated by query string (browsers' EventSource cannot send headers).
    const feed = await fetch(`${url}/zones/${ZONE}/events?access_token=${secrets.queryToken}`);
    expect(feed.status).toBe(401);
    await feed.body?.cancel();
    // A client's mistakes must not log a token either: a second `?`, a `;` separator, an encoded nested query.
    for (const query of [
      `topics=x?access_token=${mandate}`,
      `topics=x;access_token=${mandate}`,
      `topics=${encodeURIComponent(`x&access_token=${mandate}`)}`,
      `topics=${encodeURIComponent(encodeURIComponent(`x&access_token=${mandate}`))}`,
      `access_token[]=${mandate}`,
    ]) {
      const mistaken = await fetch(`${url}/zones/${ZONE}/events?${query}`);
      expect(mistaken.status).toBeGreaterThanOrEqual(400);
      await mistaken.body?.cancel();
    }
    // The token endpoint with a secret in Basic auth and tokens in the form.
    const token = await fetch(`${url}/oauth/2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${secrets.basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        client_secret: secrets.clientSecret,
        subject_token: secrets.subjectToken,
        actor_token: secrets.actorToken,
      }),
    });
    expect(token.status).toBeGreaterThanOrEqual(400);
    // The admin API with the admin token.
    const admin = await fetch(`${url}/admin/zones`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(admin.status).toBe(200);
    // The careless route, with secrets in every place it logs.
    const careless = await fetch(`${url}/test/careless?client_secret=${secrets.querySecret}&limit=5`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mandate}`, cookie: `session=${secrets.cookie}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_secret: secrets.clientSecret,
        subject_token: secrets.subjectToken,
        actor_token: secrets.actorToken,
        access_token: secrets.accessToken,
        password: secrets.password,
        admin_token: ADMIN_TOKEN,
      }),
    });
    expect(careless.status).toBe(200);
    await app.close();

    const output = lines.join('\n');
    for (const [name, secret] of Object.entries({ ...secrets, adminToken: ADMIN_TOKEN, signing: 'event-signing-SECRET-0002' })) {
      expect(output, name).not.toContain(secret);
    }
    expect(output).not.toContain('SECRET-');

    // And the lines are there, redacted rather than missing.
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestUrls = records.filter((record) => record.msg === 'incoming request').map((record) => (record.req as { url: string }).url);
    expect(requestUrls).toContain(`/zones/${ZONE}/events?access_token=[redacted]`);
    expect(requestUrls).toContain('/test/careless?client_secret=[redacted]&limit=5');
    expect(requestUrls).toContain(`/zones/${ZONE}/events?topics=x?access_token=[redacted]`);
    expect(requestUrls).toContain(`/zones/${ZONE}/events?topics=x;access_token=[redacted]`);
    expect(requestUrls.filter((requestUrl) => requestUrl === `/zones/${ZONE}/events?topics=[redacted]`)).toHaveLength(2);
    expect(requestUrls).toContain(`/zones/${ZONE}/events?access_token[]=[redacted]`);
    const carelessLine = records.find((record) => record.msg === 'careless log line') as Record<string, Record<string, unknown>>;
    expect(carelessLine.headers).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]', 'content-type': 'application/json' });
    expect(carelessLine.req).toEqual({ headers: expect.objectContaining({ authorization: '[redacted]', cookie: '[redacted]' }) });
    expect(carelessLine.form).toMatchObject({
      client_secret: '[redacted]',
      subject_token: '[redacted]',
      actor_token: '[redacted]',
      access_token: '[redacted]',
      password: '[redacted]',
      admin_token: '[redacted]',
    });
    expect(carelessLine.query).toEqual({ client_secret: '[redacted]', limit: '5' });
    expect(carelessLine.config).toEqual({ adminToken: '[redacted]', eventSigningSecret: '[redacted]', jobs: false });
  });

  it('redacts in one list that includes every STS path', () => {
    for (const path of STS_REDACT_PATHS) expect(appRedactPaths(STS_REDACT_PATHS)).toContain(path);
    // And the app passes the STS's paths in: an STS-only path (`*.subject_token` at any depth-2 field) is redacted on app lines.
    app.log.warn({ exchange: { subject_token: 'nested-subject-token-SECRET-0013' } }, 'sts-shaped line');
    const line = lines.find((candidate) => candidate.includes('sts-shaped line'));
    expect(line).toBeDefined();
    expect(line).not.toContain('SECRET-0013');
  });

  it('keeps query parameter names and other values, and drops what it cannot decode', () => {
    expect(redactUrl('/a/b')).toBe('/a/b');
    expect(redactUrl('/a?limit=5&Access_Token=x&token&cursor=c')).toBe('/a?limit=5&Access_Token=[redacted]&token=[redacted]&cursor=c');
    expect(redactUrl('/a?access%5Ftoken=x')).toBe('/a?access%5Ftoken=[redacted]');
    expect(redactUrl('/a?%E0%A4%A=x&b=1')).toBe('/a?[redacted]&b=1');
    expect(redactUrl('/a?topics=x?access_token=jwt&b=1')).toBe('/a?topics=x?access_token=[redacted]&b=1');
    expect(redactUrl('/a?b=1;Client_Secret=s;c=2')).toBe('/a?b=1;Client_Secret=[redacted];c=2');
    expect(redactUrl('/a?next=%2Fb%3Ftoken%3Dt&c=%3Fpage%3D2')).toBe('/a?next=[redacted]&c=%3Fpage%3D2');
    expect(redactUrl('/a?x=my_token%3Dt&refresh_token%20=r')).toBe('/a?x=my_token%3Dt&refresh_token%20=[redacted]');
    expect(redactUrl('/a??&&token')).toBe('/a??&&token=[redacted]');
  });
});
