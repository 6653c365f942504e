import { backoffDelay } from '@caracal/protocol';
import pg from 'pg';
import { systemTimers, type Timers } from '../time/timers.ts';
import type { ListenEvents } from './database.ts';
import { openListenConnection, type ListenClient, type ListenConnection } from './listen-connection.ts';
import { createListenSubscriptions, type ListenSubscription } from './listen-subscriptions.ts';
import { createRetrySchedule } from './retry-schedule.ts';

export interface PostgresListenerOptions {
  /** First reconnect delay after the listening connection is lost. @default 50 */
  reconnectBaseMs?: number;
  /** Longest wait between reconnect attempts. @default 2000 */
  reconnectCapMs?: number;
  /** Reconnect waits; injectable for fake time. @default systemTimers */
  timers?: Timers;
  /** Jitter source. @default Math.random */
  random?: () => number;
  /** Makes the client of each connection attempt. @default a `pg.Client` */
  openClient?: (config: pg.ClientConfig) => ListenClient;
}

export interface PostgresListener {
  listen(channel: string, onNotify: (payload: string) => void, events?: ListenEvents): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * The dedicated LISTEN connection of a Postgres database. LISTEN lives on one server session: if
 * that session ends (Postgres restarted, the backend terminated, the network cut) every channel is
 * silently gone. So a lost connection is replaced with backoff, LISTEN is issued again for every
 * channel that still has subscribers, and subscribers are told both when they stop hearing
 * (`onInterrupted`) and when they hear again (`onRestored`) — NOTIFYs sent in between are lost for
 * good, so a subscriber re-checks whatever state it was waiting on.
 */
export function createPostgresListener(config: pg.ClientConfig, options: PostgresListenerOptions = {}): PostgresListener {
  const openClient = options.openClient ?? ((clientConfig) => new pg.Client(clientConfig));
  const random = options.random ?? Math.random;
  const backoff = { minDelayMs: options.reconnectBaseMs ?? 50, maxDelayMs: options.reconnectCapMs ?? 2000, jitter: 0.2 };
  const subscriptions = createListenSubscriptions();
  let connecting: Promise<ListenConnection> | undefined;
  let current: ListenConnection | undefined;
  let closed = false;

  const connect = async (): Promise<ListenConnection> => {
    // Keep-alive so a half-open connection (a cut network, no FIN) is noticed and replaced too.
    const connection = await openListenConnection(openClient({ ...config, keepAlive: true }), {
      channels: subscriptions.channels(),
      onNotification: subscriptions.notify,
      onLost: lose,
    });
    if (closed) {
      await connection.end();
      throw new Error('the database is closed');
    }
    current = connection;
    subscriptions.restore();
    return connection;
  };

  /** One connection attempt at a time; callers during an attempt join it. */
  const ensureConnection = (): Promise<ListenConnection> => {
    if (connecting === undefined) {
      const attempt = connect();
      connecting = attempt;
      attempt.catch(() => {
        if (connecting === attempt) connecting = undefined;
      });
    }
    return connecting;
  };

  const reconnect = createRetrySchedule({
    timers: options.timers ?? systemTimers,
    // 20 % jitter so replicas that lost Postgres together do not reconnect in lockstep.
    delay: (attempt) => backoffDelay(attempt + 1, backoff, random),
    isWanted: () => !closed && !subscriptions.isEmpty(),
    // Joins an attempt a listen() call may have started meanwhile.
    attempt: ensureConnection,
  });

  function lose(connection: ListenConnection, error: unknown): void {
    if (current !== connection) return;
    current = undefined;
    connecting = undefined;
    subscriptions.interrupt(error);
    reconnect.start();
  }

  const unsubscribe = (channel: string, subscription: ListenSubscription): void => {
    if (subscriptions.remove(channel, subscription)) current?.unlisten(channel);
  };

  return {
    async listen(channel, onNotify, events = {}) {
      if (closed) throw new Error('the database is closed');
      const subscription = subscriptions.add(channel, onNotify, events);
      try {
        await (await ensureConnection()).listen(channel);
      } catch (error) {
        unsubscribe(channel, subscription);
        throw error;
      }
      return async () => unsubscribe(channel, subscription);
    },
    async close() {
      closed = true;
      reconnect.cancel();
      const open = current;
      current = undefined;
      await open?.end();
    },
  };
}
