import type { Harness } from '../coordinator-harness.ts';

/** A fact on a session's timeline, as the group tests read it. */
export interface WrittenFact {
  id: number;
  session_id: string;
  event_type: string;
  run_id: string | null;
}

/** Newest ids of the timeline and the outbox: what a test's statements wrote comes after them. */
export interface LastIds {
  fact: number;
  outbox: number;
}

/**
 * What the tests of grouped runner reports (started, completed) share: fresh applications of a
 * zone, and the facts written after a moment.
 */
export function groupReportFixtures(harness: Harness, appPrefix: string) {
  let apps = 0;
  return {
    async freshApp(zoneId: string): Promise<{ clientId: string; token: string }> {
      const clientId = `${appPrefix}_${(apps += 1)}`;
      return { clientId, token: await harness.mint({ zoneId, clientId, scopes: ['agent:lifecycle', 'tools:call'] }) };
    },
    async lastIds(): Promise<LastIds> {
      const { rows } = await harness.database.query<LastIds>(
        'SELECT (SELECT coalesce(max(id), 0) FROM session_events)::int AS fact, (SELECT coalesce(max(id), 0) FROM caracal_outbox)::int AS outbox',
      );
      return rows[0]!;
    },
    async factsSince(before: LastIds): Promise<WrittenFact[]> {
      const { rows } = await harness.database.query<WrittenFact>('SELECT id, session_id, event_type, run_id FROM session_events WHERE id > $1 ORDER BY id', [
        before.fact,
      ]);
      return rows;
    },
    /** How many apps were made so far (tests name runners after it). */
    get apps(): number {
      return apps;
    },
  };
}
