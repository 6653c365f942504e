import { decodeBusEntry, type PublishedEvent } from './bus-event.ts';
import type { BusEntry, EventBus } from './event-bus.ts';
import { createRecentIds } from './recent-ids.ts';

export type RelayOutcome = 'delivered' | 'forged' | 'malformed' | 'duplicate';

export interface EventRelayOptions {
  bus: EventBus;
  signingSecret: string;
  topics: readonly string[];
  /** How many outbox ids to remember for dedupe. @default 50 000 */
  dedupeCapacity?: number;
  /** Counts each entry by outcome (metrics). */
  onEntry?: (topic: string, outcome: RelayOutcome) => void;
  /** A listener threw; the relay carries on with the others. */
  onListenerError?: (error: unknown) => void;
}

export type RelayListener = (event: PublishedEvent) => void;

/**
 * The lifecycle relay: one subscription per topic from the bus, which verifies each entry's HMAC
 * origin (forged entries are dropped and counted), drops entries whose outbox id it has already
 * relayed (the publisher's at-least-once window), and re-emits what is left, in stream order per
 * topic, to in-process listeners such as the live feeds.
 */
export interface EventRelay {
  /** Subscribes from the newest entry of each topic; idempotent, concurrent calls share one start. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Adds a listener for `topic`; returns the function that removes it. */
  on(topic: string, listener: RelayListener): () => void;
}

export function createEventRelay(options: EventRelayOptions): EventRelay {
  const seen = createRecentIds(options.dedupeCapacity ?? 50_000);
  const listeners = new Map<string, Set<RelayListener>>();
  let starting: Promise<Array<() => Promise<void>>> | undefined;

  const handle = (topic: string, entry: BusEntry): void => {
    const decoded = decodeBusEntry(topic, entry, options.signingSecret);
    if (!decoded.ok) {
      options.onEntry?.(topic, decoded.reason);
      return;
    }
    if (!seen.add(decoded.event.outboxId)) {
      options.onEntry?.(topic, 'duplicate');
      return;
    }
    options.onEntry?.(topic, 'delivered');
    for (const listener of listeners.get(topic) ?? []) {
      try {
        listener(decoded.event);
      } catch (error) {
        options.onListenerError?.(error);
      }
    }
  };

  return {
    start() {
      if (starting === undefined) {
        const attempt = Promise.all(options.topics.map((topic) => options.bus.subscribe(topic, (entry) => handle(topic, entry))));
        starting = attempt;
        // A failed start is not remembered: the next caller tries again.
        attempt.catch(() => {
          if (starting === attempt) starting = undefined;
        });
      }
      return starting.then(() => undefined);
    },
    async stop() {
      const current = starting;
      starting = undefined;
      if (current === undefined) return;
      const unsubscribes = await current;
      await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
    },
    on(topic, listener) {
      let set = listeners.get(topic);
      if (set === undefined) {
        set = new Set();
        listeners.set(topic, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };
}
