import { CaracalError } from '../../errors.ts';
import { ExpiringSet } from './expiring-set.ts';

/**
 * How long a revocation is remembered: longer than any per-call mandate (15 min) can live
 * (docs/decisions/2026-12-04-revocation-model.md).
 */
export const REVOCATION_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Default bound on remembered ids, per kind (sessions, edges). */
export const DEFAULT_MAX_REVOCATIONS = 250_000;

/**
 * Sessions and edges that were revoked, as pushed by a revocation source.
 * @since 0.1.0
 */
export interface Revocation {
  readonly sessionIds: readonly string[];
  readonly edgeIds: readonly string[];
}

/**
 * What to look up: the mandate's agent session and every edge of its delegation path.
 * @since 0.1.0
 */
export interface RevocationQuery {
  readonly sessionId?: string | undefined;
  /** More sessions to check, e.g. the caller's and the one a receiver acts as. */
  readonly sessionIds?: Iterable<string> | undefined;
  readonly edgeIds?: Iterable<string> | undefined;
}

/**
 * Called with each revocation as it arrives, so open streams can be cut at once.
 * @since 0.1.0
 */
export type RevocationListener = (revocation: Revocation) => void;

/**
 * Revoked session and edge ids, each kept {@link REVOCATION_RETENTION_MS} (24 h) and bounded.
 * Sources feed it; the verifier and the stream guard read it.
 * @since 0.1.0
 */
export interface RevocationStore {
  /**
   * Records revoked ids. `revokedAt` (ms since the epoch, when the event says) starts the 24 h
   * from the moment of revocation, so a backlog replayed at start-up does not live longer.
   */
  revoke(revocation: { sessionIds?: Iterable<string>; edgeIds?: Iterable<string>; revokedAt?: number }): void;
  isRevoked(query: RevocationQuery): boolean;
  /** The first revoked id among the query's session and edges, or `undefined`. */
  findRevoked(query: RevocationQuery): string | undefined;
  /** Subscribes to revocations as they arrive; returns the unsubscribe function. */
  onRevoked(listener: RevocationListener): () => void;
}

/** @since 0.1.0 */
export interface RevocationStoreOptions {
  /** @default REVOCATION_RETENTION_MS (24 h) */
  readonly retentionMs?: number;
  /** Bound per kind; past it the oldest entry goes. @default DEFAULT_MAX_REVOCATIONS */
  readonly maxEntries?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Creates an in-memory revocation store. Pass it to several sources (say Redis and SSE) to merge
 * them, or call `revoke` yourself from any other feed.
 * @example
 * const store = createRevocationStore();
 * store.revoke({ sessionIds: ['agentsess_01J…'] });
 * store.isRevoked({ sessionId: 'agentsess_01J…' }); // true for the next 24 hours
 * @since 0.1.0
 */
export function createRevocationStore(options: RevocationStoreOptions = {}): RevocationStore {
  const retentionMs = options.retentionMs ?? REVOCATION_RETENTION_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_REVOCATIONS;
  if (!(retentionMs > 0) || !(maxEntries > 0)) {
    throw new CaracalError('INVALID_ARGUMENT', 'createRevocationStore: retentionMs and maxEntries must be positive.');
  }
  const now = options.now ?? Date.now;
  const sessions = new ExpiringSet(maxEntries);
  const edges = new ExpiringSet(maxEntries);
  const listeners = new Set<RevocationListener>();

  const findRevoked = (query: RevocationQuery): string | undefined => {
    const at = now();
    if (query.sessionId !== undefined && sessions.has(query.sessionId, at)) return query.sessionId;
    for (const sessionId of query.sessionIds ?? []) if (sessions.has(sessionId, at)) return sessionId;
    for (const edgeId of query.edgeIds ?? []) if (edges.has(edgeId, at)) return edgeId;
    return undefined;
  };

  return {
    revoke(revocation) {
      const at = now();
      const expiresAt = Math.min(revocation.revokedAt ?? at, at) + retentionMs;
      if (expiresAt <= at) return;
      const sessionIds = [...(revocation.sessionIds ?? [])].filter(isId);
      const edgeIds = [...(revocation.edgeIds ?? [])].filter(isId);
      for (const id of sessionIds) sessions.add(id, expiresAt, at);
      for (const id of edgeIds) edges.add(id, expiresAt, at);
      if (sessionIds.length + edgeIds.length === 0) return;
      const event: Revocation = Object.freeze({ sessionIds: Object.freeze(sessionIds), edgeIds: Object.freeze(edgeIds) });
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // One failing listener must not keep the others (other streams) from being cut.
        }
      }
    },
    isRevoked: (query) => findRevoked(query) !== undefined,
    findRevoked,
    onRevoked(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
