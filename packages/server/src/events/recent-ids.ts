/**
 * A bounded set of recently seen ids, oldest evicted first. Re-publishes after a publisher crash
 * arrive within seconds of the original, so remembering the last N ids is enough to drop them
 * without a table.
 */
export interface RecentIds {
  /** Records `id`; false when it was already there (a duplicate). */
  add(id: string): boolean;
  has(id: string): boolean;
  readonly size: number;
}

export function createRecentIds(capacity: number): RecentIds {
  // A Set iterates in insertion order, which makes it a FIFO for eviction.
  const ids = new Set<string>();
  return {
    add(id) {
      if (ids.has(id)) return false;
      ids.add(id);
      if (ids.size > capacity) ids.delete(ids.values().next().value as string);
      return true;
    },
    has: (id) => ids.has(id),
    get size() {
      return ids.size;
    },
  };
}
