import { randomBytes } from 'node:crypto';
import { Caracal, type CaracalContext } from '@caracal/sdk';
import { parseBaggage } from '@caracal/sdk/propagation';
import { startServer, type RunningServer } from '@caracal/server';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, testBackends } from '../../packages/server/test/helpers/backends.ts';

const ZONE = 'zone_hops';
const APP = 'app_hops';
const TOOLS = 'mcp://tools.hops';

/** What one context says its hop is, three ways: the context, its baggage, and a mandate minted in it. */
interface Reading {
  context: CaracalContext;
  baggageHop: string | undefined;
  mandate: Record<string, unknown> | undefined;
}

/**
 * A spawned session's hop (docs/decisions/2026-12-04-spawn-hop.md): the context, the
 * `caracal.hop` baggage member and the per-call mandate's `hop_count` agree, from a root spawn
 * (no edge) down through inherited edges, against the real server.
 */
describe.each(testBackends())('spawn hops agree end to end ($name)', (backend) => {
  const schema = backend.schema();
  let server: RunningServer;
  let caracal: Caracal;

  beforeAll(async () => {
    const secret = randomBytes(18).toString('base64url');
    server = await startServer({
      port: 0,
      logger: false,
      adminToken: randomBytes(18).toString('base64url'),
      databaseUrl: backend.databaseUrl,
      databaseSchema: schema,
      redisUrl: backend.redisUrl,
      redisKeyPrefix: backend.redisUrl === undefined ? undefined : `hops_${randomBytes(4).toString('hex')}`,
      // A server on Postgres refuses to start without its own secrets (docs/configuration.md).
      keyEncryptionSecret: 'spawn-hop-key-secret',
      eventSigningSecret: 'spawn-hop-event-secret',
      bootstrap: { zones: [{ id: ZONE, applications: [{ id: APP, secret, scopes: ['tools:call'] }], resources: [{ id: TOOLS, scopes: ['tools:call'] }] }] },
    });
    caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: APP, clientSecret: secret });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await dropSchema(schema);
  });

  async function read(context: CaracalContext, mint: boolean): Promise<Reading> {
    const baggage = parseBaggage(caracal.headers().baggage ?? '') ?? [];
    const minted = mint ? await caracal.exchange({ resource: TOOLS, scopes: ['tools:call'] }) : undefined;
    return {
      context,
      baggageHop: baggage.find((member) => member.key === 'caracal.hop')?.value,
      mandate: minted === undefined ? undefined : decodeJwt(minted.accessToken),
    };
  }

  it('counts the edges from the root: 0 for a root spawn, one more per inherited edge, 0 without an edge', { timeout: 60_000 }, async () => {
    const readings: Reading[] = [];
    await caracal.spawn({}, async (root) => {
      readings.push(await read(root, true));
      await caracal.spawn({}, async (child) => {
        readings.push(await read(child, true));
        await caracal.spawn({}, async (grandchild) => void readings.push(await read(grandchild, true)));
        await caracal.spawn({ grant: 'none' }, async (bare) => void readings.push(await read(bare, false)));
      });
    });
    const [root, child, grandchild, bare] = readings;
    expect(root!.context.delegationEdgeId).toBeUndefined();
    expect(child!.context.delegationEdgeId).toMatch(/^deledge_/);
    expect(grandchild!.context.parentEdgeId).toBe(child!.context.delegationEdgeId);
    expect(bare!.context.delegationEdgeId).toBeUndefined();
    expect(readings.map((reading) => reading.context.hop)).toEqual([0, 1, 2, 0]);
    expect(readings.map((reading) => reading.baggageHop)).toEqual(['0', '1', '2', '0']);
    expect(readings.slice(0, 3).map((reading) => reading.mandate?.hop_count)).toEqual([0, 1, 2]);
    expect(grandchild!.mandate?.delegation_path).toEqual([child!.context.delegationEdgeId, grandchild!.context.delegationEdgeId]);
  });
});
