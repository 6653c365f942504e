import type { EventBus } from './event-bus.ts';
import { createMemoryEventBus } from './memory-event-bus.ts';

/** Redis Streams when `redisUrl` is set, the in-process bus otherwise. */
export async function openEventBus(options: { redisUrl?: string } = {}): Promise<EventBus> {
  if (options.redisUrl === undefined || options.redisUrl === '') return createMemoryEventBus();
  const { openRedisEventBus } = await import('./redis-event-bus.ts');
  return openRedisEventBus({ url: options.redisUrl });
}
