import { TIMELINE_TOPIC } from '@caracal/protocol';
import type { Transaction } from '../../db/database.ts';
import { enqueueEvents, type OutboxEvent } from '../../events/enqueue-event.ts';
import { readSeedSessions, seedSessionView } from './seed-session.ts';

/** The seed feed's messages about sessions themselves (events travel as `session_event`). */
export type SessionChange = 'session_created' | 'session_updated';

/**
 * Tells the seed feeds (`/ws`, `/sse/sessions`) that sessions were created or changed: one outbox
 * entry per session on TIMELINE_TOPIC, carrying the whole seed session as this transaction sees it,
 * so a feed forwards it as is and a replay shows each session as it was then. Call it in the
 * transaction of the change, after the change. `notify` as enqueueEvents.
 */
export async function enqueueSessionChanges(
  transaction: Transaction,
  change: SessionChange,
  sessionIds: readonly string[],
  options: { notify?: boolean } = {},
): Promise<void> {
  const rows = await readSeedSessions(transaction, sessionIds);
  const events: OutboxEvent[] = rows.map((row) => ({
    topic: TIMELINE_TOPIC,
    type: change,
    zoneId: row.zone_id,
    payload: { session: seedSessionView(row), zone_id: row.zone_id, application_id: row.application_id },
  }));
  await enqueueEvents(transaction, events, options);
}

/** Tells the seed feeds that a session was deleted (`DELETE /sessions/{id}`). */
export async function enqueueSessionDeleted(
  transaction: Transaction,
  session: { zoneId: string; applicationId: string; sessionId: string },
): Promise<void> {
  await enqueueEvents(transaction, [
    {
      topic: TIMELINE_TOPIC,
      type: 'session_deleted',
      zoneId: session.zoneId,
      payload: { session_id: session.sessionId, zone_id: session.zoneId, application_id: session.applicationId },
    },
  ]);
}
