import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { Caracal } from '@caracal/sdk';
import { startServer } from '@caracal/server';

const ZONE = 'zone_renewal';
const APPLICATION = 'app_renewal';
const SECRET = randomUUID();
const bootstrap = { zones: [{ id: ZONE, applications: [{ id: APPLICATION, secret: SECRET, scopes: ['tools:call'] }] }] };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An in-memory server: every start makes new zone keys, as a restart or a database reset does. */
async function inMemoryServer(port: number): Promise<{ url: string; port: number; close(): Promise<void> }> {
  return startServer({ port, logger: false, bootstrap });
}

it('renews the cached session mandate once when the Coordinator answers 401, so spawn works after the keys change', async () => {
  const first = await inMemoryServer(0);
  const caracal = new Caracal({ coordinatorUrl: first.url, zoneId: ZONE, clientId: APPLICATION, clientSecret: SECRET });
  closers.push(() => caracal.close());
  const before = await caracal.sessionMandate();
  await caracal.spawn({ kind: 'ephemeral' }, () => undefined);

  // Same URL (so the same issuer), new keys: the cached mandate is now signed by an unknown key.
  await first.close();
  const second = await inMemoryServer(first.port);
  closers.push(() => second.close());
  expect(second.url).toBe(first.url);

  const session = await caracal.spawn({ kind: 'ephemeral' }, (context) => context.agentSessionId);
  expect(session).toMatch(/^agentsess_/);
  expect(await caracal.sessionMandate()).not.toBe(before);
});

it('does not retry a 401 with a fixed subject token, which cannot be renewed', async () => {
  const first = await inMemoryServer(0);
  const minting = new Caracal({ coordinatorUrl: first.url, zoneId: ZONE, clientId: APPLICATION, clientSecret: SECRET });
  const subjectToken = await minting.sessionMandate();
  await minting.close();
  await first.close();
  const second = await inMemoryServer(first.port);
  closers.push(() => second.close());
  const caracal = new Caracal({ coordinatorUrl: second.url, zoneId: ZONE, clientId: APPLICATION, subjectToken });
  closers.push(() => caracal.close());
  await expect(caracal.spawn({ kind: 'ephemeral' }, () => undefined)).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
});
