import pg from 'pg';
import { reconnectDelay } from '../events/retry-delay.ts';
import type { ListenEvents } from './database.ts';

export interface PostgresListenerOptions {
  /** First reconnect delay after the listening connection is lost. @default 50 */
  reconnectBaseMs?: number;
  /** Longest wait between reconnect attempts. @default 2000 */
  reconnectCapMs?: number;
}

export interface PostgresListener {
  listen(channel: string, onNotify: (payload: string) => void, events?: ListenEvents): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

interface Subscription {
  onNotify: (payload: string) => void;
  events: ListenEvents;
  /** Told of a loss and not yet of the recovery. */
  interrupted: boolean;
}

/** One established connection and the channels it has issued LISTEN for. */
interface Connection {
  client: pg.Client;
  channels: Set<string>;
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
  const subscriptions = new Map<string, Set<Subscription>>();
  let connection: Promise<Connection> | undefined;
  let current: Connection | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const everyone = (): Subscription[] => [...subscriptions.values()].flatMap((set) => [...set]);

  const connect = async (): Promise<Connection> => {
    // Keep-alive so a half-open connection (a cut network, no FIN) is noticed and replaced too.
    const client = new pg.Client({ ...config, keepAlive: true });
    const opened: Connection = { client, channels: new Set() };
    let lost = false;
    const onLost = (error: unknown): void => {
      if (lost) return;
      lost = true;
      // A connection that never finished its setup was never announced; its attempt reports itself.
      if (current !== opened) return;
      current = undefined;
      connection = undefined;
      for (const subscription of everyone()) {
        subscription.interrupted = true;
        subscription.events.onInterrupted?.(error);
      }
      scheduleReconnect(0);
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('the LISTEN connection ended')));
    client.on('notification', (message) => {
      for (const subscription of subscriptions.get(message.channel) ?? []) subscription.onNotify(message.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of subscriptions.keys()) {
        await client.query(`LISTEN ${quoteIdentifier(channel)}`);
        opened.channels.add(channel);
      }
      if (lost) throw new Error('the LISTEN connection was lost while it was being set up');
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await client.end().catch(() => {});
      throw new Error('the database is closed');
    }
    current = opened;
    for (const subscription of everyone()) {
      if (!subscription.interrupted) continue;
      subscription.interrupted = false;
      subscription.events.onRestored?.();
    }
    return opened;
  };

  const ensureConnection = (): Promise<Connection> => {
    if (connection === undefined) {
      const attempt = connect();
      connection = attempt;
      attempt.catch(() => {
        if (connection === attempt) connection = undefined;
      });
    }
    return connection;
  };

  const scheduleReconnect = (attempt: number): void => {
    if (closed || retryTimer !== undefined) return;
    const delay = reconnectDelay(attempt, { baseMs: options.reconnectBaseMs ?? 50, capMs: options.reconnectCapMs ?? 2000 });
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (closed || subscriptions.size === 0) return;
      // Joins an attempt a listen() call may have started meanwhile; a failure tries again later.
      ensureConnection().catch(() => scheduleReconnect(attempt + 1));
    }, delay);
    retryTimer.unref();
  };

  return {
    async listen(channel, onNotify, events = {}) {
      if (closed) throw new Error('the database is closed');
      const subscription: Subscription = { onNotify, events, interrupted: false };
      let set = subscriptions.get(channel);
      if (set === undefined) {
        set = new Set();
        subscriptions.set(channel, set);
      }
      set.add(subscription);
      try {
        const established = await ensureConnection();
        if (!established.channels.has(channel)) {
          established.channels.add(channel);
          await established.client.query(`LISTEN ${quoteIdentifier(channel)}`);
        }
      } catch (error) {
        unsubscribe(channel, subscription);
        throw error;
      }
      return async () => unsubscribe(channel, subscription);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const open = current;
      current = undefined;
      await open?.client.end().catch(() => {});
    },
  };

  function unsubscribe(channel: string, subscription: Subscription): void {
    const set = subscriptions.get(channel);
    if (set === undefined || !set.delete(subscription) || set.size > 0) return;
    subscriptions.delete(channel);
    if (current?.channels.delete(channel) === true) {
      current.client.query(`UNLISTEN ${quoteIdentifier(channel)}`).catch(() => {});
    }
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
