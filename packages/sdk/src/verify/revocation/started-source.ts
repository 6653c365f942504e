import type { FeedHealthTracker } from './feed-health.ts';
import type { RevocationSource } from './revocation-source.ts';
import type { RevocationStore } from './revocation-store.ts';

/** A feed behind a revocation source: it fills `store`, reports through `health`, runs from `start()` until `close()`. */
export interface RevocationFeed {
  readonly store: RevocationStore;
  readonly health: FeedHealthTracker;
  start(): void;
  close(): Promise<void>;
}

/** Starts `feed` and answers the source that shows it (the SSE and the Redis sources alike). */
export function startedSource(feed: RevocationFeed): RevocationSource {
  feed.start();
  return {
    store: feed.store,
    ready: () => feed.health.ready(),
    health: () => feed.health.health,
    onHealthChange: (listener) => feed.health.onChange(listener),
    close: () => feed.close(),
  };
}
