import type { FeedLoop } from './feed-loop.ts';
import type { RevocationSource } from './revocation-source.ts';

/** A feed behind a revocation source: it runs its `loop` from `start()` until `close()`. */
export interface RevocationFeed {
  readonly loop: FeedLoop;
  start(): void;
  close(): Promise<void>;
}

/** Starts `feed` and answers the source that shows it (the SSE and the Redis sources alike). */
export function startedSource(feed: RevocationFeed): RevocationSource {
  feed.start();
  const { store, health } = feed.loop;
  return {
    store,
    ready: () => health.ready(),
    health: () => health.health,
    onHealthChange: (listener) => health.onChange(listener),
    close: () => feed.close(),
  };
}
