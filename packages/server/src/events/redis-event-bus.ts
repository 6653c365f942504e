import type { EventBus } from './event-bus.ts';

/** Redis Streams bus; written by the events change. */
export async function openRedisEventBus(_options: { url: string }): Promise<EventBus> {
  throw new Error('caracal server: the Redis event bus is not available yet');
}
