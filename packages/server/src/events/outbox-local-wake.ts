import type { Database } from '../db/database.ts';
import { perDatabase } from '../db/per-database.ts';

/** Wakes one running publisher; false when it cannot publish now (the bus is down), so another replica should be told. */
export type LocalOutboxWake = () => boolean;

const publishersOf = perDatabase<Set<LocalOutboxWake>>();

/**
 * Makes a running publisher of this process reachable by the commits on `database` that wrote
 * outbox rows, so they wake it in-process instead of through NOTIFY. Returns the unregister.
 */
export function registerLocalOutboxPublisher(database: Database, wake: LocalOutboxWake): () => void {
  const set = publishersOf(database, () => new Set());
  set.add(wake);
  return () => {
    set.delete(wake);
  };
}

/**
 * Wakes a publisher of this process on `database`, if one runs and can publish. Any one publisher
 * publishing the rows is enough: the others still poll, and take over if this process dies first.
 */
export function wakeLocalOutboxPublisher(database: Database): boolean {
  for (const wake of publishersOf(database, () => new Set())) if (wake()) return true;
  return false;
}
