import { describe, expect } from 'vitest';
import { claimPendingOutboxRows } from '../../src/events/outbox-store.ts';
import { testBackends } from '../helpers/backends.ts';
import { serverTest } from '../helpers/fixtures.ts';
import { enqueueMany } from './support/outbox-fixtures.ts';

// Ids are read as text (bigint does not fit a JS number); the claim must still order by the
// number: ordering by the text alias put "10" before "9" and sorted every pending row on each claim.
describe.each(testBackends())('outbox claim order on $name', (backend) => {
  serverTest.override('backend', backend);

  serverTest('claims pending rows in numeric id order across a digit boundary', async ({ events }) => {
    await events.resetOutbox();
    await events.database.query(`SELECT setval(pg_get_serial_sequence('caracal_outbox', 'id'), 8)`);
    await enqueueMany(events.database, 3);
    const claimed = await events.database.transaction((transaction) => claimPendingOutboxRows(transaction, { limit: 3, now: new Date() }));
    expect(claimed.map((row) => row.id)).toEqual(['9', '10', '11']);
    const first = await events.database.transaction((transaction) => claimPendingOutboxRows(transaction, { limit: 1, now: new Date() }));
    expect(first.map((row) => row.id)).toEqual(['9']);
  });
});
