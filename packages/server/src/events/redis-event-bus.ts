import { backoffDelay, isPresentStreamEntry, readStreamEntries } from '@caracal/protocol';
import { createClient, type RedisClientType } from 'redis';
import type { BusEntry, EventBus } from './event-bus.ts';
import { EventBusUnavailableError } from './event-bus-unavailable-error.ts';
import { connectInBackground } from './redis-connect.ts';
import { toBusError, withTimeout } from './redis-errors.ts';
import { startRedisStreamSubscription } from './redis-stream-subscription.ts';

export interface RedisEventBusOptions {
  /** `redis://…` */
  url: string;
  /** Approximate length each stream is trimmed to on XADD (`MAXLEN ~`). Default 100 000. */
  maxLength?: number;
  /** Prepended to every stream key; lets tests and tenants share one Redis. Default none. */
  keyPrefix?: string;
  /** A command that has not answered by then counts as an outage. Default 2 000 ms. */
  commandTimeoutMs?: number;
  /** How long a blocking XREAD waits before looping. Default 5 000 ms. */
  blockMs?: number;
  /** How long `open` waits for the first connection before carrying on without it. Default 2 000 ms. */
  connectTimeoutMs?: number;
  /** Told about connection trouble (the bus itself never throws it at the process). */
  onError?: (error: unknown) => void;
}

/**
 * Redis Streams bus. Publishes are `XADD key MAXLEN ~ N * field value …` on a shared connection
 * (node-redis pipelines concurrent commands); each subscription is a blocking XREAD loop on a
 * dedicated duplicate connection. The offline queue is disabled so that while Redis is down
 * publishes fail at once with `EventBusUnavailableError` — the outbox keeps the events — instead
 * of piling up in memory; connections come back on their own with capped exponential backoff.
 */
export async function openRedisEventBus(options: RedisEventBusOptions): Promise<EventBus> {
  const maxLength = options.maxLength ?? 100_000;
  const prefix = options.keyPrefix ?? '';
  const commandTimeoutMs = options.commandTimeoutMs ?? 2000;
  const blockMs = options.blockMs ?? 5000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const reportError = (error: unknown): void => options.onError?.(error);

  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      // 20 % jitter so replicas that lost Redis together do not reconnect in lockstep.
      reconnectStrategy: (retries: number) =>
        backoffDelay(retries + 1, { minDelayMs: 50, maxDelayMs: 2000, jitter: 0.2 }, Math.random),
    },
  }) as RedisClientType;
  // Without an 'error' listener node-redis would crash the process on the first lost connection.
  client.on('error', reportError);
  await connectInBackground(client, connectTimeoutMs);

  const subscriptions = new Set<{ stop(): Promise<void> }>();
  let closed = false;

  const command = async (args: string[], action: string): Promise<unknown> => {
    if (closed) throw new EventBusUnavailableError('the event bus is closed');
    if (!client.isReady) throw new EventBusUnavailableError(`redis is not connected (${action})`);
    try {
      return await withTimeout(client.sendCommand(args), commandTimeoutMs, action);
    } catch (error) {
      throw toBusError(error, action);
    }
  };

  return {
    kind: 'redis',
    async publish(topic, fields) {
      const args = ['XADD', prefix + topic, 'MAXLEN', '~', String(maxLength), '*'];
      for (const [key, value] of Object.entries(fields)) args.push(key, value);
      return String(await command(args, 'XADD'));
    },
    async subscribe(topic, onEntry, subscribeOptions) {
      if (closed) throw new EventBusUnavailableError('the event bus is closed');
      const reader = client.duplicate() as RedisClientType;
      reader.on('error', reportError);
      await connectInBackground(reader, connectTimeoutMs);
      const subscription = startRedisStreamSubscription({
        reader,
        key: prefix + topic,
        afterId: subscribeOptions?.afterId ?? '$',
        onEntry: onEntry as (entry: BusEntry) => void,
        blockMs,
        batchSize: 500,
        onError: reportError,
      });
      subscriptions.add(subscription);
      await subscription.positioned;
      return async () => {
        subscriptions.delete(subscription);
        await subscription.stop();
      };
    },
    async read(topic, readOptions) {
      const start = readOptions.afterId === '0' || readOptions.afterId === '0-0' ? '-' : `(${readOptions.afterId}`;
      const reply = await command(['XRANGE', prefix + topic, start, '+', 'COUNT', String(readOptions.limit)], 'XRANGE');
      return readStreamEntries(reply).filter(isPresentStreamEntry);
    },
    async latestId(topic) {
      const newest = readStreamEntries(await command(['XREVRANGE', prefix + topic, '+', '-', 'COUNT', '1'], 'XREVRANGE'));
      return newest[0]?.id ?? '0-0';
    },
    async ping() {
      await command(['PING'], 'PING');
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      subscriptions.clear();
      if (client.isReady) await client.close().catch(() => client.destroy());
      else client.destroy();
    },
  };
}
