import type { EventBus } from './event-bus.ts';
import { createMemoryEventBus } from './memory-event-bus.ts';

export interface OpenEventBusOptions {
  /** `redis://…` selects Redis Streams; unset or empty keeps the in-process bus. */
  redisUrl?: string;
  /** Prefix for Redis stream keys (tests and tenants sharing one Redis). */
  keyPrefix?: string;
  /** Approximate entries kept per stream. */
  maxLength?: number;
  /** Told about Redis connection trouble. */
  onError?: (error: unknown) => void;
}

/** Redis Streams when `redisUrl` is set, the in-process bus otherwise. */
export async function openEventBus(options: OpenEventBusOptions = {}): Promise<EventBus> {
  if (options.redisUrl === undefined || options.redisUrl === '') {
    return createMemoryEventBus({ retainedEntries: options.maxLength });
  }
  const { openRedisEventBus } = await import('./redis-event-bus.ts');
  return openRedisEventBus({
    url: options.redisUrl,
    keyPrefix: options.keyPrefix,
    maxLength: options.maxLength,
    onError: options.onError,
  });
}
