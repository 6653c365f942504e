import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Caracal } from '@caracal/sdk';
import { createVerifier, sseRevocationSource } from '@caracal/sdk/verify';
import { startServer, type RunningServer, type StartServerOptions } from '@caracal/server';
import { heardRevocation } from './helpers/heard-revocation.ts';

const ZONE = 'zone_embedded_restart';
const APPLICATION = 'app_embedded_restart';
const RESOURCE = 'mcp://tools.embedded-restart.e2e';
// A fixed issuer: mandates minted before the restart stay valid after it, whatever port the server gets.
const ISSUER = 'http://caracal.embedded-restart.e2e';

// F9: the in-process bus starts empty; a verifier started after a restart must still learn of a
// revocation published before it (its feed replays the last 24 h).
describe('revocations survive a restart of the embedded server (persistent PGlite, in-process bus)', () => {
  const secret = randomUUID();
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const start = async (dataDir: string): Promise<RunningServer> => {
    const options: StartServerOptions = {
      port: 0,
      logger: false,
      dataDir,
      issuer: ISSUER,
      eventSigningSecret: 'embedded-restart-event-secret',
      keyEncryptionSecret: 'embedded-restart-key-secret',
      jobSettings: { outboxPollIntervalMs: 50 },
      bootstrap: { zones: [{ id: ZONE, applications: [{ id: APPLICATION, secret, scopes: ['tools:call'] }], resources: [{ id: RESOURCE, scopes: ['tools:call'] }] }] },
    };
    return startServer(options);
  };

  const client = (server: RunningServer): Caracal => {
    const caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: APPLICATION, clientSecret: secret });
    cleanups.push(() => caracal.close());
    return caracal;
  };

  const feed = (server: RunningServer, caracal: Caracal) => {
    const source = sseRevocationSource({ url: server.url, zoneId: ZONE, tokenSource: () => caracal.sessionMandate() });
    cleanups.push(() => source.close());
    return source;
  };

  it('a verifier started after the restart refuses a pre-restart mandate of a session terminated before it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'caracal-restart-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const before = await start(dataDir);
    const beforeClient = client(before);
    const witness = feed(before, beforeClient);
    await witness.ready();
    let revokedSession = '';
    let token = '';
    await beforeClient.spawn({ kind: 'instance' }, async (context) => {
      revokedSession = context.agentSessionId!;
      token = (await beforeClient.exchange({ resource: RESOURCE, scopes: ['tools:call'] })).accessToken;
    });
    // spawn() ended the session; once the witness heard it, the revocation was published.
    await heardRevocation(witness.store, revokedSession);
    await witness.close();
    await before.close();

    const after = await start(dataDir);
    cleanups.push(() => after.close());
    const afterClient = client(after);
    const source = feed(after, afterClient);
    await source.ready();
    // A marker revoked after the restart: the feed replays in stream order, so the old revocation comes first.
    let marker = '';
    await afterClient.spawn({ kind: 'instance' }, (context) => {
      marker = context.agentSessionId!;
    });
    await heardRevocation(source.store, marker);

    const verifier = createVerifier({ issuer: ISSUER, zoneId: ZONE, audience: RESOURCE, jwksUrl: `${after.url}/.well-known/jwks.json?zone_id=${ZONE}`, revocation: source });
    cleanups.push(() => verifier.close());
    expect(source.store.isRevoked({ sessionId: revokedSession })).toBe(true);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'MANDATE_REVOKED' });
  });
});
