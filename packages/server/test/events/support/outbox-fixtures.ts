import type { Database } from '../../../src/db/database.ts';
import { enqueueEvents, type OutboxEvent } from '../../../src/events/enqueue-event.ts';
import type { BusEntry, EventBus } from '../../../src/events/event-bus.ts';
import { Topics } from '../../../src/events/topics.ts';

/** Enqueues `count` events in transactions of `perTransaction`, as state changes would. */
export async function enqueueMany(
  database: Database,
  count: number,
  options: { perTransaction?: number; zoneId?: string; topic?: OutboxEvent['topic'] } = {},
): Promise<void> {
  const perTransaction = options.perTransaction ?? 200;
  for (let start = 0; start < count; start += perTransaction) {
    const events: OutboxEvent[] = [];
    for (let index = start; index < Math.min(count, start + perTransaction); index += 1) {
      events.push({
        topic: options.topic ?? Topics.agentsLifecycle,
        type: 'session_spawned',
        zoneId: options.zoneId ?? 'zone_test',
        payload: { sequence: index },
      });
    }
    await database.transaction((transaction) => enqueueEvents(transaction, events));
  }
}

export async function outboxStatusCounts(database: Database): Promise<Record<string, number>> {
  const result = await database.query<{ status: string; count: string | number }>(
    'SELECT status, count(*) AS count FROM caracal_outbox GROUP BY status',
  );
  return Object.fromEntries(result.rows.map((row) => [row.status, Number(row.count)]));
}

/** Every entry of `topic`, oldest first. */
export async function readWholeStream(bus: EventBus, topic: string): Promise<BusEntry[]> {
  const entries: BusEntry[] = [];
  let afterId = '0';
  for (;;) {
    const page = await bus.read(topic, { afterId, limit: 1000 });
    entries.push(...page);
    if (page.length < 1000) return entries;
    afterId = page.at(-1)!.id;
  }
}
