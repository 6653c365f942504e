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
   */
  ready(): Promise<void>;
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
  /** Told about connection and read failures (the source keeps retrying). */
  readonly onError?: (error: unknown) => void;
}
