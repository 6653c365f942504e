import type { Database } from '../../db/database.ts';
import { RUN_WAKEUP_CHANNEL } from '../runs/run-facts.ts';

/** A promise that resolves when the zone may have new work or stop orders (or the wait is cut short). */
export interface WakeupTicket {
  readonly woken: Promise<void>;
  /** Forgets the ticket (resolving it). */
  cancel(): void;
}

export interface RunWakeups {
  /** Take a ticket BEFORE looking for work, so a NOTIFY that lands while looking is not missed. */
  ticket(zoneId: string): WakeupTicket;
  /** Resolves every ticket and refuses new waits (the server is closing). */
  close(): Promise<void>;
  readonly closed: boolean;
}

/**
 * One LISTEN per process on the runs channel: a NOTIFY names a zone, and every poll waiting in that
 * zone looks again (SKIP LOCKED sorts out who gets the run). When the listening connection was
 * lost and comes back, every poll looks again, as NOTIFYs may have been missed.
 */
export async function openRunWakeups(database: Database): Promise<RunWakeups> {
  const waiting = new Map<string, Set<() => void>>();
  let closed = false;
  const wake = (zoneId: string | undefined): void => {
    const zones = zoneId === undefined ? [...waiting.keys()] : [zoneId];
    for (const zone of zones) {
      const wakers = waiting.get(zone);
      waiting.delete(zone);
      for (const waker of wakers ?? []) waker();
    }
  };
  const unsubscribe = await database.listen(RUN_WAKEUP_CHANNEL, (zoneId) => wake(zoneId), { onRestored: () => wake(undefined) });
  return {
    ticket(zoneId) {
      let resolve!: () => void;
      const woken = new Promise<void>((settle) => (resolve = settle));
      if (closed) {
        resolve();
        return { woken, cancel: () => undefined };
      }
      let wakers = waiting.get(zoneId);
      if (wakers === undefined) waiting.set(zoneId, (wakers = new Set()));
      wakers.add(resolve);
      return {
        woken,
        cancel: () => {
          waiting.get(zoneId)?.delete(resolve);
          resolve();
        },
      };
    },
    async close() {
      closed = true;
      wake(undefined);
      await unsubscribe();
    },
    get closed() {
      return closed;
    },
  };
}
