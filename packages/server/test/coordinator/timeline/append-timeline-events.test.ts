import { TIMELINE_TOPIC } from '@caracal/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendTimelineEvents } from '../../../src/coordinator/timeline/timeline-repository.ts';
import type { Database } from '../../../src/db/database.ts';
import { databaseOptionsOn, dropSchema, testBackends } from '../../helpers/backends.ts';
import { openTestDatabase } from '../../helpers/test-database.ts';

const SESSION = 'agentsess_01jz0000000000000000000000';

describe.each(testBackends())('appending to a timeline on $name', (backend) => {
  let database: Database;
  const schema = backend.schema();

  beforeAll(async () => {
    database = await openTestDatabase(databaseOptionsOn(backend, schema));
  });
  afterAll(async () => {
    await database?.close();
    await dropSchema(schema);
  });

  it('writes the events in the given order, in the server time, and one outbox row each on the timeline topic', async () => {
    const now = Date.parse('2026-12-04T10:00:00.000Z');
    const events = await database.transaction((transaction) =>
      appendTimelineEvents(
        transaction,
        [
          { zoneId: 'zone_t', sessionId: SESSION, applicationId: 'app_t', eventType: 'run_start', source: 'agent', reportedAt: '2020-01-01T00:00:00Z' },
          { zoneId: 'zone_t', sessionId: SESSION, applicationId: 'app_t', eventType: 'pre_tool', source: 'agent', body: { tool_name: 'add', tool_input: { a: 1 } } },
          { zoneId: 'zone_t', sessionId: SESSION, applicationId: 'app_t', eventType: 'mandate_minted', source: 'sts', details: { jti: 'j1' } },
        ],
        now,
      ),
    );
    expect(events.map((event) => event.event_type)).toEqual(['run_start', 'pre_tool', 'mandate_minted']);
    expect(events[0]!.id).toBeLessThan(events[1]!.id);
    expect(events[1]!.id).toBeLessThan(events[2]!.id);
    expect(events[0]).toMatchObject({ timestamp: '2026-12-04T10:00:00.000Z', reported_at: '2020-01-01T00:00:00.000Z', tool_name: null, details: null });
    expect(events[1]).toMatchObject({ tool_name: 'add', tool_input: { a: 1 }, result_data: null });
    expect(events[2]).toMatchObject({ source: 'sts', details: { jti: 'j1' } });

    const outbox = await database.query<{ payload: Record<string, unknown> }>(
      'SELECT payload FROM caracal_outbox WHERE topic = $1 ORDER BY id',
      [TIMELINE_TOPIC],
    );
    // The payload is the wire event the caller gets back, plus what feed visibility reads.
    expect(outbox.rows.map((row) => row.payload)).toEqual(events.map((event) => ({ ...event, zone_id: 'zone_t', application_id: 'app_t' })));
  });

  it('writes nothing when the transaction rolls back', async () => {
    const before = await database.query<{ count: string }>('SELECT count(*) AS count FROM session_events');
    await expect(
      database.transaction(async (transaction) => {
        await appendTimelineEvents(transaction, [{ zoneId: 'zone_t', sessionId: SESSION, applicationId: 'app_t', eventType: 'x', source: 'agent' }], Date.now());
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const after = await database.query<{ count: string }>('SELECT count(*) AS count FROM session_events');
    expect(after.rows[0]!.count).toBe(before.rows[0]!.count);
  });
});
