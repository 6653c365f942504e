import type { Transaction } from '../db/database.ts';
import type { TIMELINE_TOPIC } from '@caracal/protocol';
import { OUTBOX_CHANNEL, type Topic } from './topics.ts';

export interface OutboxEvent {
  /** An authority topic, or the session timeline's (the seed feeds'). */
  topic: Topic | typeof TIMELINE_TOPIC;
  /** What happened, e.g. `session_spawned`, `edge_create`, `session_revoked`. */
  type: string;
  zoneId: string;
  payload: Record<string, unknown>;
}

/**
 * Writes events into the outbox inside the caller's transaction, so they exist exactly when the
 * state change does. The NOTIFY is delivered at commit and wakes the publishers at once;
 * `notify: false` leaves it out for a caller that wakes them after its commit
 * (wakeOutboxPublishers), so its commit does not queue on Postgres's NOTIFY lock.
 */
export async function enqueueEvents(transaction: Transaction, events: readonly OutboxEvent[], options: { notify?: boolean } = {}): Promise<void> {
  if (events.length === 0) return;
  const params: unknown[] = [];
  const tuples = events.map((event, index) => {
    params.push(event.topic, event.type, event.zoneId, JSON.stringify(event.payload));
    const base = index * 4;
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::jsonb)`;
  });
  await transaction.query(
    `INSERT INTO caracal_outbox (topic, event_type, zone_id, payload) VALUES ${tuples.join(', ')}`,
    params,
  );
  if (options.notify !== false) await transaction.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
}
