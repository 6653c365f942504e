import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_races';

/**
 * Subtree changes raced against writers that attach to the subtree (spawns under it, edges to and
 * from it, invocations). Whatever the interleaving, the invariants of
 * docs/decisions/2026-12-04-revocation-model.md
 * and docs/decisions/2026-12-04-delegation-semantics.md must hold after.
 */
describe.each(testBackends())('cascades under concurrent writers on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, seats: 2000, tokens: {
    token: { clientId: 'app_race', scopes: ['agent:lifecycle', 'tools:call'] },
  } });

  const post = (url: string, body: Record<string, unknown>) => harness.call({ method: 'POST', url: `/zones/${ZONE}${url}`, token: tokens.token, body });
  const spawn = async (body: Record<string, unknown> = {}) => (await post('/agents', body)).json().agent_session_id as string;

  async function violations(): Promise<Record<string, number>> {
    const count = async (sql: string) => (await harness.database.query<{ count: number }>(sql)).rows[0]!.count;
    return {
      liveUnderTerminated: await count(
        `SELECT count(*)::int AS count FROM agent_sessions c JOIN agent_sessions p ON p.id = c.parent_id
         WHERE c.status <> 'terminated' AND p.status = 'terminated'`,
      ),
      activeUnderSuspended: await count(
        `SELECT count(*)::int AS count FROM agent_sessions c JOIN agent_sessions p ON p.id = c.parent_id
         WHERE c.status = 'active' AND p.status <> 'active'`,
      ),
      edgesTouchingTerminated: await count(
        `SELECT count(*)::int AS count FROM delegation_edges e JOIN agent_sessions s
           ON s.id IN (e.source_session_id, e.target_session_id)
         WHERE e.status = 'active' AND s.status = 'terminated'`,
      ),
      openInvocationsOfTerminated: await count(
        `SELECT count(*)::int AS count FROM agent_invocations i JOIN agent_sessions s ON s.id = i.agent_session_id
         WHERE i.status IN ('pending', 'running') AND s.status = 'terminated'`,
      ),
      wrongLiveChildren: await count(
        `SELECT count(*)::int AS count FROM agent_sessions p
         WHERE p.status <> 'terminated' AND p.live_children <> (
           SELECT count(*) FROM agent_sessions c WHERE c.parent_id = p.id AND c.status <> 'terminated')`,
      ),
      wrongSeats: await count(
        `SELECT abs((SELECT count(*) FROM agent_session_seats WHERE zone_id <> '' AND holder_session_id IS NOT NULL)
                  - (SELECT count(*) FROM agent_sessions WHERE status <> 'terminated' AND zone_seat >= 0))::int AS count`,
      ),
    };
  }

  it('keeps every invariant when subtrees end while writers attach to them', async () => {
    for (let round = 0; round < 4; round += 1) {
      const root = await spawn();
      const level = [root];
      for (let index = 0; index < 4; index += 1) level.push(await spawn({ parent_id: level[index % level.length] }));
      const outsider = await spawn();
      const pick = () => level[Math.floor(Math.random() * level.length)]!;
      const writers = [
        ...Array.from({ length: 12 }, () => post('/agents', { parent_id: pick() })),
        ...Array.from({ length: 6 }, () => post('/delegations', { source_session_id: pick(), target_session_id: outsider, scopes: ['tools:call'] })),
        ...Array.from({ length: 6 }, () => post('/delegations', { source_session_id: outsider, target_session_id: pick(), scopes: ['tools:call'] })),
        ...Array.from({ length: 6 }, () => post('/invocations', { agent_session_id: pick(), operation: 'race' })),
      ];
      const change =
        round % 2 === 0
          ? harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${level[round % 3]}`, token: tokens.token })
          : post(`/agents/${level[round % 3]}/suspend`, {});
      const responses = await Promise.all([change, ...writers]);
      for (const response of responses) expect([200, 201, 403, 409], response.body).toContain(response.statusCode);
      expect(responses[0]!.statusCode, responses[0]!.body).toBe(200);
      expect(await violations()).toEqual({
        liveUnderTerminated: 0,
        activeUnderSuspended: 0,
        edgesTouchingTerminated: 0,
        openInvocationsOfTerminated: 0,
        wrongLiveChildren: 0,
        wrongSeats: 0,
      });
      await harness.call({ method: 'DELETE', url: `/zones/${ZONE}/agents/${root}`, token: tokens.token });
    }
  }, 120_000);
});
