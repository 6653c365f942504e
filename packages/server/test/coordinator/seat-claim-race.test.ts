import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../src/db/database.ts';
import { testBackends } from '../helpers/backends.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { useHarness } from './coordinator-harness.ts';

const postgres = testBackends().find((backend) => backend.name === 'postgres+redis');

/**
 * A limit refusal must mean the limit is reached in committed state. Seats another transaction
 * holds locked (a spawn that will roll back, a termination that will free them) are not taken:
 * the spawn waits for them instead of answering `limit_exceeded`. Two real connections, so only
 * on Postgres; the race is set up with row locks, not timing.
 */
describe.runIf(postgres !== undefined)('seat claims against locked seats on Postgres', () => {
  const zoneId = 'zone_seat_race';
  const applicationId = 'app_seat_race';
  const { harness, tokens } = useHarness(postgres!, {
    zoneId,
    tokens: { owner: applicationId },
    limits: { maxActivePerZoneApplication: 5, maxActivePerApplication: 8 },
  });

  const spawn = () => harness.call({ method: 'POST', url: `/zones/${zoneId}/agents`, token: tokens.owner, body: {} });
  const terminate = (id: string) => harness.call({ method: 'DELETE', url: `/zones/${zoneId}/agents/${id}`, token: tokens.owner });

  /** Runs `whileLocked` while another connection holds `lockSql`'s row locks, then rolls that back. */
  async function withRowsLocked(lockSql: string, whileLocked: (lockerPid: number) => Promise<void>): Promise<void> {
    const rollback = new Error('roll back the locker');
    await harness.database
      .transaction(async (transaction: Transaction) => {
        const { rows } = await transaction.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await transaction.query(lockSql, [applicationId, zoneId]);
        await whileLocked(rows[0]!.pid);
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
  }

  /** True once some backend waits on a lock `lockerPid` holds. */
  const blockedOn = async (lockerPid: number) => {
    const { rows } = await harness.database.query<{ waiting: number }>(
      'SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))',
      [lockerPid],
    );
    return rows[0]!.waiting > 0;
  };

  /** Starts a spawn and resolves when it has answered or is waiting on the locker. */
  async function spawnAgainstLocker(lockerPid: number) {
    let answered = false;
    const answer = spawn().finally(() => {
      answered = true;
    });
    await waitFor(async () => answered || (await blockedOn(lockerPid)), { what: 'the spawn to answer or wait on the locked seats' });
    return { answer, answered: () => answered };
  }

  type SpawnAnswer = Awaited<ReturnType<typeof spawn>>;

  /**
   * Spawns while another transaction holds the rows `lockSql` locks, and answers the spawn's
   * answer once they are released; `earlyAnswer` checks an answer given while they were locked.
   */
  async function spawnWhileLocked(lockSql: string, earlyAnswer: (answer: SpawnAnswer) => void = () => undefined): Promise<SpawnAnswer> {
    let pending: Awaited<ReturnType<typeof spawnAgainstLocker>> | undefined;
    await withRowsLocked(lockSql, async (lockerPid) => {
      pending = await spawnAgainstLocker(lockerPid);
      if (pending.answered()) earlyAnswer(await pending.answer);
    });
    return pending!.answer;
  }


  const expectSpawned = (answer: SpawnAnswer): void => {
    expect(answer.statusCode, answer.body).toBe(201);
  };

  it('waits for locked free zone seats instead of refusing: one seat held, the four free ones locked', async () => {
    const held = await spawn();
    expectSpawned(held);
    // Committed state has 1 of 5 seats held: answering while locked could only be a refusal without cause.
    const spawned = await spawnWhileLocked(
      `SELECT seat FROM agent_session_seats WHERE application_id = $1 AND zone_id = $2 AND holder_session_id IS NULL FOR UPDATE`,
      expectSpawned,
    );
    expectSpawned(spawned);
    await terminate(held.json().agent_session_id);
    await terminate(spawned.json().agent_session_id);
  });

  it('waits for locked free application seats the same way', async () => {
    const spawned = await spawnWhileLocked(
      `SELECT seat FROM agent_session_seats WHERE application_id = $1 AND zone_id = '' AND $2::text IS NOT NULL FOR UPDATE`,
      expectSpawned,
    );
    expectSpawned(spawned);
    await terminate(spawned.json().agent_session_id);
  });

  it('still refuses at the limit when the seats are held in committed state, even while some are locked', async () => {
    const live = [];
    for (let index = 0; index < 5; index += 1) {
      const spawned = await spawn();
      expect(spawned.statusCode, spawned.body).toBe(201);
      live.push(spawned.json().agent_session_id as string);
    }
    const refused = await spawn();
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'limit_exceeded' });
    expect(refused.json().error_description).toContain('active sessions per zone per application');
    // A seat held in committed state and locked by another transaction: the spawn waits for the
    // lock, reads the holder again and refuses; nothing was free at any point.
    const again = await spawnWhileLocked(`SELECT seat FROM agent_session_seats WHERE application_id = $1 AND zone_id = $2 AND seat = 0 FOR UPDATE`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'limit_exceeded' });
    for (const id of live) await terminate(id);
  });
});
