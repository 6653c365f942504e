import type { RevocationFeedHealth, RevocationFeedHealthListener } from './feed-health.ts';
import type { RevocationStore } from './revocation-store.ts';
import type { RevocationEventFields } from './revocation-event.ts';

/**
 * Something that keeps a {@link RevocationStore} up to date: a Redis stream, the Coordinator's
 * SSE feed, or your own feed calling `store.revoke`.
 * @since 0.1.0
 */
export interface RevocationSource {
  readonly store: RevocationStore;
  /**
   * Resolves once the source is connected (and, for Redis, has read the last 24 h backlog).
   * Await it before accepting traffic: until then a revocation pushed earlier is not known.
   * Rejects with a `CaracalError` once the feed is down (`health().state === 'down'`): at once
   * when the feed refuses the credentials (401 → `UNAUTHORIZED`, 403 → `FORBIDDEN`), otherwise
   * when it has not connected within `downAfterMs` (the last failure, e.g. `NETWORK_ERROR`). The
   * source keeps retrying after a rejection; a later call resolves once it is live.
   */
  ready(): Promise<void>;
  /** The feed's health now (docs/verify.md §4). Sources of your own may leave it out. */
  health?(): RevocationFeedHealth;
  /** Called on every change of state; returns the unsubscribe function. */
  onHealthChange?(listener: RevocationFeedHealthListener): () => void;
  /** Stops reading. The store keeps what it has. */
  close(): Promise<void>;
}

/**
 * Options every source shares.
 * @since 0.1.0
 */
export interface RevocationSourceCommonOptions {
  /** The store to feed; several sources may share one. @default a new createRevocationStore() */
  readonly store?: RevocationStore;
  /** Only events of this zone are applied (events without a zone are applied too). */
  readonly zoneId?: string;
  /**
   * Checks an event before it is applied, e.g. the server's HMAC `signature` over a Redis
   * entry's fields (see `eventSignatureVerifier`). Events it refuses are dropped. A forged revocation can only take authority away, never grant
   * it, so this guards against denial of service, not escalation.
   */
  readonly verifyEvent?: (fields: RevocationEventFields, topic: string | undefined) => boolean;
  /**
   * Told about every connection and read failure (the source keeps retrying), a `CaracalError`
   * with `code` and `status` where there was a response. For the feed's state as a whole, use
   * `health()` and `onHealthChange`.
   */
  readonly onError?: (error: unknown) => void;
  /**
   * How long the feed may go without a connection before it counts as down (`ready()` rejects,
   * `health().state` is `'down'`, a verifier fails closed or warns). @default DEFAULT_FEED_DOWN_AFTER_MS (10 s)
   */
  readonly downAfterMs?: number;
}
