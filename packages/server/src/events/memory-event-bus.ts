import type { BusEntry, EventBus } from './event-bus.ts';
import { compareStreamIds } from './stream-id.ts';

/** How many entries each topic keeps for late readers (like Redis `MAXLEN ~`). */
const DEFAULT_RETAINED_ENTRIES = 100_000;

export interface MemoryEventBusOptions {
  /** Entries kept per topic for readers that resume (default 100 000). */
  retainedEntries?: number;
  /** Clock for the millisecond part of ids; injectable for tests. */
  now?: () => number;
  /** Told when a subscriber throws; the bus keeps delivering to the others. */
  onSubscriberError?: (error: unknown) => void;
}

/**
 * The embedded default: streams held in memory with Redis-style ids (`<ms>-<seq>`), so readers
 * can resume from an id exactly as they would against Redis Streams.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const retained = options.retainedEntries ?? DEFAULT_RETAINED_ENTRIES;
  const now = options.now ?? Date.now;
  const streams = new Map<string, BusEntry[]>();
  const subscribers = new Map<string, Set<(entry: BusEntry) => void>>();
  let lastMs = 0;
  let sequence = 0;

  const nextId = (at: number = now()): string => {
    const ms = Math.max(at, lastMs);
    sequence = ms === lastMs ? sequence + 1 : 0;
    lastMs = ms;
    return `${ms}-${sequence}`;
  };

  const entriesAfter = (topic: string, afterId: string): BusEntry[] => {
    const stream = streams.get(topic) ?? [];
    if (afterId === '0' || afterId === '0-0') return stream;
    // Ids increase, so binary search finds the first entry after `afterId`.
    let low = 0;
    let high = stream.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareStreamIds(stream[middle]!.id, afterId) <= 0) low = middle + 1;
      else high = middle;
    }
    return stream.slice(low);
  };

  const deliver = (handler: (entry: BusEntry) => void, entry: BusEntry): void => {
    try {
      handler(entry);
    } catch (error) {
      // One faulty subscriber must not fail the publisher or starve the others.
      options.onSubscriberError?.(error);
    }
  };

  const append = (topic: string, fields: Record<string, string>, at?: number): string => {
    const entry: BusEntry = { id: nextId(at), fields: Object.freeze({ ...fields }) };
    let stream = streams.get(topic);
    if (stream === undefined) {
      stream = [];
      streams.set(topic, stream);
    }
    stream.push(entry);
    if (stream.length > retained * 1.1) stream.splice(0, stream.length - retained);
    for (const handler of subscribers.get(topic) ?? []) deliver(handler, entry);
    return entry.id;
  };

  return {
    kind: 'memory',
    async publish(topic, fields) {
      return append(topic, fields);
    },
    restore: append,
    async subscribe(topic, onEntry, subscribeOptions) {
      const afterId = subscribeOptions?.afterId;
      if (afterId !== undefined && afterId !== '$') for (const entry of entriesAfter(topic, afterId)) deliver(onEntry, entry);
      let handlers = subscribers.get(topic);
      if (handlers === undefined) {
        handlers = new Set();
        subscribers.set(topic, handlers);
      }
      handlers.add(onEntry);
      return async () => {
        handlers.delete(onEntry);
      };
    },
    async read(topic, readOptions) {
      return entriesAfter(topic, readOptions.afterId).slice(0, readOptions.limit);
    },
    async latestId(topic) {
      return streams.get(topic)?.at(-1)?.id ?? '0-0';
    },
    async ping() {},
    async close() {
      subscribers.clear();
    },
  };
}
