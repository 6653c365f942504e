import type { Database } from '../db/database.ts';
import { encodeBusFields } from './bus-event.ts';
import type { EventBus } from './event-bus.ts';
import { isEventBusUnavailable } from './event-bus-unavailable-error.ts';
import { outboxBackoffDelay, type OutboxBackoffOptions } from './outbox-backoff.ts';
import type { OutboxPublisherObserver } from './outbox-publisher-observer.ts';
import { claimPendingOutboxRows, markOutboxRowsFailed, markOutboxRowsPublished, type OutboxFailure, type OutboxRow } from './outbox-store.ts';

export interface BatchResult {
  claimed: number;
  published: number;
  failed: number;
  /** True when a publish failed because the bus could not be reached at all. */
  busUnavailable: boolean;
}

export interface OutboxBatchSettings {
  database: Database;
  bus: EventBus;
  signingSecret: string;
  publisherId: string;
  batchSize: number;
  maxAttempts: number;
  backoff: OutboxBackoffOptions;
  now: () => number;
  random: () => number;
  observer: OutboxPublisherObserver;
}

/**
 * One batch as ONE transaction: claim rows with `FOR UPDATE SKIP LOCKED`, XADD each, mark them
 * published (or failed, with their next attempt time), COMMIT. Holding the row locks across the
 * publish is what makes replicas deliver every row once: no other publisher sees a row until it
 * is marked. If the process dies (or COMMIT fails) after XADD and before COMMIT, the row stays
 * pending and is published again: at-least-once at the bus, so receivers dedupe by `outbox_id`.
 */
export function publishOutboxBatch(settings: OutboxBatchSettings): Promise<BatchResult> {
  return settings.database.transaction(async (transaction) => {
    const claimedAt = new Date(settings.now());
    const rows = await claimPendingOutboxRows(transaction, { limit: settings.batchSize, now: claimedAt });
    if (rows.length === 0) return { claimed: 0, published: 0, failed: 0, busUnavailable: false };
    // Issued together so node-redis pipelines them; one connection keeps their order.
    const outcomes = await Promise.allSettled(rows.map((row) => publishRow(settings, row)));
    const publishedIds: string[] = [];
    const failures: OutboxFailure[] = [];
    const publishedByTopic = new Map<string, number>();
    let busUnavailable = false;
    outcomes.forEach((outcome, index) => {
      const row = rows[index]!;
      if (outcome.status === 'fulfilled') {
        publishedIds.push(row.id);
        publishedByTopic.set(row.topic, (publishedByTopic.get(row.topic) ?? 0) + 1);
        return;
      }
      if (isEventBusUnavailable(outcome.reason)) busUnavailable = true;
      failures.push(failureOf(settings, row, outcome.reason, claimedAt));
    });
    await markOutboxRowsPublished(transaction, publishedIds, claimedAt);
    await markOutboxRowsFailed(transaction, failures);
    for (const [topic, count] of publishedByTopic) settings.observer.published?.(topic, count);
    return { claimed: rows.length, published: publishedIds.length, failed: failures.length, busUnavailable };
  });
}

function publishRow(settings: OutboxBatchSettings, row: OutboxRow): Promise<string> {
  const fields = encodeBusFields(
    row.topic,
    { outboxId: row.id, type: row.eventType, zoneId: row.zoneId, payload: row.payload, occurredAt: row.createdAt },
    { publishedBy: settings.publisherId, signingSecret: settings.signingSecret },
  );
  return settings.bus.publish(row.topic, fields);
}

/** The row's failed attempt: counted, dead at `maxAttempts`, else retried after its backoff. */
function failureOf(settings: OutboxBatchSettings, row: OutboxRow, reason: unknown, claimedAt: Date): OutboxFailure {
  const attempts = row.attempts + 1;
  const dead = attempts >= settings.maxAttempts;
  settings.observer.failed?.(row, reason, dead);
  return {
    id: row.id,
    attempts,
    dead,
    availableAt: new Date(claimedAt.getTime() + outboxBackoffDelay(row.attempts, settings.backoff, settings.random)),
    error: reason instanceof Error ? reason.message : String(reason),
  };
}
