import { describe, expect } from 'vitest';
import { outboxInsertCte, outboxRows } from '../../src/events/outbox-rows-sql.ts';
import { testBackends } from '../helpers/backends.ts';
import { serverTest } from '../helpers/fixtures.ts';

/** Rows named `label`, one per element of the SQL array `values`, ordered by it (`by`: as a number or as text). */
function part(label: string, values: string, by: 'number' | 'text') {
  return outboxRows({
    topic: "'outbox.order.test'",
    eventType: `'${label}'`,
    zoneId: "'zone_outbox_order'",
    payload: `jsonb_build_object('value', v::text)`,
    orderBy: by === 'number' ? { number: 'v::bigint' } : { text: 'v::text' },
    from: `FROM unnest(${values}) AS v`,
  });
}

// A statement's outbox rows are written by one INSERT whose order is stated (outbox-rows-sql.ts):
// the publishers deliver in id order, so the ids must ascend part by part, each part in its order.
describe.each(testBackends())('one outbox insert for many parts, on $name', (backend) => {
  serverTest.override('backend', backend);

  serverTest('writes the parts in the order given, each in its own order, whatever order their rows come in', async ({ events }) => {
    await events.resetOutbox();
    const sql = `WITH ${outboxInsertCte('written', [
      part('second_by_number', "ARRAY['10', '9', '100']", 'number'),
      part('empty', 'ARRAY[]::text[]', 'text'),
      part('then_by_text', "ARRAY['b', 'c', 'a']", 'text'),
      part('last', "ARRAY['only']", 'text'),
    ])} SELECT count(*)::int AS written FROM written`;
    const { rows } = await events.database.query<{ written: number }>(sql);
    expect(rows[0]!.written).toBe(7);
    const written = await events.database.query<{ event_type: string; value: string }>(
      `SELECT event_type, payload ->> 'value' AS value FROM caracal_outbox WHERE topic = 'outbox.order.test' ORDER BY id`,
    );
    expect(written.rows.map((row) => `${row.event_type} ${row.value}`)).toEqual([
      'second_by_number 9',
      'second_by_number 10',
      'second_by_number 100',
      'then_by_text a',
      'then_by_text b',
      'then_by_text c',
      'last only',
    ]);
  });
});
