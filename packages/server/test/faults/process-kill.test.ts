import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.ts';
import { outboxStatusCounts } from '../events/support/outbox-fixtures.ts';
import { createAdminZone, sessionToken } from './support/admin-setup.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { useFaultStage } from './support/fault-stage.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const APPLICATIONS = ['app_one', 'app_two', 'app_three', 'app_four'];
/** Per application, below the 50-active-sessions limit. */
const SPAWNS_PER_APPLICATION = 40;
const KILL_AFTER_ANSWERS = 50;
const CONCURRENCY = 24;

interface SpawnRequest {
  key: string;
  application: string;
  body: { labels: Record<string, string> };
}

describe.runIf(databaseUrl !== undefined && process.env.CARACAL_TEST_REDIS_URL !== undefined)('a server process killed with SIGKILL mid-load', () => {
  const stage = useFaultStage('kill', databaseUrl!);
  const zoneId = 'zone_kill';
  const processes: ServerProcess[] = [];

  afterAll(async () => {
    await Promise.all(processes.map((server) => server.kill('SIGTERM')));
  });

  it('completes every retry with the same Idempotency-Key after a restart, and leaves nothing half-applied', async () => {
    const first = await startServerProcess(stage.serverEnv());
    processes.push(first);
    const zone = await createAdminZone(first.url, stage.adminToken, {
      zoneId,
      applications: Object.fromEntries(APPLICATIONS.map((application) => [application, ['tools:call']])),
    });
    const tokens = Object.fromEntries(
      await Promise.all(APPLICATIONS.map(async (application) => [application, await sessionToken(first.url, zone.applications[application]!)] as const)),
    );
    const requests: SpawnRequest[] = APPLICATIONS.flatMap((application) =>
      Array.from({ length: SPAWNS_PER_APPLICATION }, (_, index) => ({
        key: `spawn-${application}-${index}`,
        application,
        body: { labels: { n: String(index) } },
      })),
    );
    const spawn = async (server: ServerProcess, request: SpawnRequest): Promise<{ status: number; body: Record<string, unknown> }> => {
      const response = await fetch(`${server.url}/zones/${zoneId}/agents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[request.application]}`, 'content-type': 'application/json', 'idempotency-key': request.key },
        body: JSON.stringify(request.body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    // Load with many requests in flight; SIGKILL once enough have been answered.
    const answeredBeforeKill = new Map<string, string>();
    let next = 0;
    let killing: Promise<void> | undefined;
    const worker = async (): Promise<void> => {
      while (next < requests.length && killing === undefined) {
        const request = requests[next++]!;
        try {
          const answer = await spawn(first, request);
          if (answer.status === 201 && killing === undefined) answeredBeforeKill.set(request.key, answer.body.agent_session_id as string);
        } catch {
          // The connection died with the process: the outcome is unknown, the retry will tell.
        }
        if (answeredBeforeKill.size >= KILL_AFTER_ANSWERS) killing ??= first.kill('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await killing;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(answeredBeforeKill.size).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERS);

    const second = await startServerProcess(stage.serverEnv());
    processes.push(second);
    const retries = await Promise.all(requests.map(async (request) => ({ request, answer: await spawn(second, request) })));
    for (const { request, answer } of retries) {
      expect(answer.status, `${request.key}: ${JSON.stringify(answer.body)}`).toBe(201);
      const before = answeredBeforeKill.get(request.key);
      if (before !== undefined) expect(answer.body.agent_session_id).toBe(before);
    }
    const sessionIds = retries.map(({ answer }) => answer.body.agent_session_id as string);
    expect(new Set(sessionIds).size).toBe(requests.length);

    // Each key applied exactly once, each with its receipt and its event: nothing half-applied.
    const count = async (sql: string): Promise<number> => Number((await stage.database.query<{ count: string }>(sql, [zoneId])).rows[0]!.count);
    expect(await count('SELECT count(*) AS count FROM agent_sessions WHERE zone_id = $1')).toBe(requests.length);
    expect(await count('SELECT count(*) AS count FROM coordinator_idempotency_receipts WHERE zone_id = $1')).toBe(requests.length);
    expect(await count("SELECT count(*) AS count FROM caracal_outbox WHERE zone_id = $1 AND event_type = 'session_spawned'")).toBe(requests.length);
    const stored = await stage.database.query<{ id: string }>('SELECT id FROM agent_sessions WHERE zone_id = $1', [zoneId]);
    expect(stored.rows.map((row) => row.id).sort()).toEqual([...sessionIds].sort());

    // Events of requests the killed process committed wait in the outbox and go out after the restart.
    await waitFor(async () => (await outboxStatusCounts(stage.database)).pending === undefined, { what: 'the outbox to drain', timeoutMs: 30_000 });
    expect((await outboxStatusCounts(stage.database)).dead).toBeUndefined();
  }, 120_000);
});
