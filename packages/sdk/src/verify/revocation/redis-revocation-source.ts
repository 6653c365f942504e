import { randomUUID } from 'node:crypto';
import { ALL_TOPICS, readStreamReply, type StreamEntry } from '@caracal/protocol';
import { FeedLoop } from './feed-loop.ts';
import { CaracalError } from '../../errors.ts';
import { backoffDelay } from '../../retry/backoff.ts';
import type { Clock } from '../../time/clock.ts';
import { applyRevocationEvent } from './apply-revocation-event.ts';
import { SESSIONS_REVOKE_TOPIC } from './revocation-event.ts';
import type { RevocationSource, RevocationSourceCommonOptions } from './revocation-source.ts';
import { startedSource } from './started-source.ts';
import { REVOCATION_RETENTION_MS } from './revocation-store.ts';

/**
 * The one method the source needs from a Redis client: node-redis's `sendCommand` (raw RESP2
 * replies). Typed structurally so `redis` stays an optional peer; for ioredis pass
 * `{ sendCommand: (args) => client.call(...args) }`.
 * @since 0.1.0
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** @since 0.1.0 */
export interface RedisRevocationSourceOptions extends RevocationSourceCommonOptions {
  /**
   * A connected client this source may block on (`XREADGROUP … BLOCK`): give it its own
   * connection, e.g. `client.duplicate()`, or every other command on it waits behind the block.
   */
  readonly client: RedisCommandClient;
  /**
   * The topic to read; signatures are checked over it. Given as a prefixed key
   * (`<prefix>caracal.sessions.revoke`) without `keyPrefix`, the topic is its known ending.
   * @default SESSIONS_REVOKE_TOPIC
   */
  readonly stream?: string;
  /**
   * The server's `redisKeyPrefix`, if it has one: the stream's key is `keyPrefix + stream`. The
   * server signs the unprefixed topic, so `verifyEvent` is still given `stream`. @default ''
   */
  readonly keyPrefix?: string;
  /**
   * The consumer group. Every verifier process must read every revocation, and a group splits
   * its entries among its consumers, so each process needs a group of its own. Give a stable
   * per-instance name to resume after a restart; by default a fresh group is made and destroyed
   * on close. @default `caracal-verify-<uuid>`
   */
  readonly group?: string;
  /** @default 'verifier' */
  readonly consumer?: string;
  /** How far back a new group starts. @default REVOCATION_RETENTION_MS (24 h) */
  readonly replayMs?: number;
  /** How long one blocking read waits; also bounds how long `close()` takes. @default 2000 */
  readonly blockMs?: number;
  /** @default 100 */
  readonly batchSize?: number;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/**
 * Feeds a revocation store from a Redis stream through a consumer group (`XREADGROUP`, then
 * `XACK` once applied). A new group starts 24 h back, so a freshly started verifier knows what
 * was revoked before it came up. Read failures back off and retry until closed.
 * @example
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const revocation = redisRevocationSource({ client: client.duplicate(), zoneId: 'zone_prod' });
 * await revocation.ready();
 * @since 0.1.0
 */
export function redisRevocationSource(options: RedisRevocationSourceOptions): RevocationSource {
  if (typeof options.client?.sendCommand !== 'function') {
    throw new CaracalError('CONFIG_INVALID', 'redisRevocationSource needs a connected node-redis client (with sendCommand).', { setting: 'client' });
  }
  return startedSource(new StreamGroupReader(options));
}

/**
 * The key to read and the topic its entries are signed over. A `stream` given as the prefixed key
 * (`<prefix>caracal.sessions.revoke`) without `keyPrefix` is understood too: the server only
 * ever signs its bare topic names.
 */
function splitStreamKey(stream: string, keyPrefix: string | undefined): { key: string; topic: string } {
  if (keyPrefix !== undefined) return { key: `${keyPrefix}${stream}`, topic: stream };
  const topic = ALL_TOPICS.find((name) => stream.length > name.length && stream.endsWith(name));
  return { key: stream, topic: topic ?? stream };
}

/** Pacing of read retries after a failure (Redis down, the group gone). */
const READ_RETRY_BACKOFF = { minDelayMs: 100, maxDelayMs: 5000, factor: 2, jitter: 0.5 };

class StreamGroupReader {
  readonly loop: FeedLoop;
  readonly #options: RedisRevocationSourceOptions;
  /** The topic, as signed. */
  readonly #topic: string;
  /** The Redis key read: the topic behind the server's key prefix. */
  readonly #stream: string;
  readonly #group: string;
  readonly #consumer: string;
  readonly #ownsGroup: boolean;

  constructor(options: RedisRevocationSourceOptions) {
    this.#options = options;
    this.loop = new FeedLoop(options);
    const named = splitStreamKey(options.stream ?? SESSIONS_REVOKE_TOPIC, options.keyPrefix);
    this.#topic = named.topic;
    this.#stream = named.key;
    this.#ownsGroup = options.group === undefined;
    this.#group = options.group ?? `caracal-verify-${randomUUID()}`;
    this.#consumer = options.consumer ?? 'verifier';
  }

  start(): void {
    this.loop.start(() => this.#run());
  }

  async close(): Promise<void> {
    await this.loop.stop('The Redis revocation source was closed before it caught up.');
    if (this.#ownsGroup) await this.#command(['XGROUP', 'DESTROY', this.#stream, this.#group]).catch(() => undefined);
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (!this.loop.signal.aborted) {
      try {
        await this.#createGroup();
        // Our own unacknowledged entries first (after a restart), then the backlog, then live.
        while ((await this.#readOnce('0', false)) > 0 && !this.loop.signal.aborted);
        while ((await this.#readOnce('>', false)) > 0 && !this.loop.signal.aborted);
        this.loop.health.live();
        attempt = 0;
        while (!this.loop.signal.aborted) await this.#readOnce('>', true);
      } catch (error) {
        if (this.loop.signal.aborted) return;
        this.#options.onError?.(error);
        this.loop.health.failed(error);
        attempt++;
        const delay = backoffDelay(attempt, READ_RETRY_BACKOFF, this.#options.random ?? Math.random);
        await this.loop.clock.sleep(delay, this.loop.signal).catch(() => undefined);
      }
    }
  }

  async #createGroup(): Promise<void> {
    const replayMs = this.#options.replayMs ?? REVOCATION_RETENTION_MS;
    const start = replayMs > 0 ? `${Math.max(0, this.loop.clock.now() - replayMs)}-0` : '$';
    try {
      await this.#command(['XGROUP', 'CREATE', this.#stream, this.#group, start, 'MKSTREAM']);
    } catch (error) {
      if (!String((error as Error)?.message ?? error).includes('BUSYGROUP')) throw error;
    }
  }

  /** Reads one batch after `id`, applies and acknowledges it; returns how many entries it held. */
  async #readOnce(id: '0' | '>', block: boolean): Promise<number> {
    const args = ['XREADGROUP', 'GROUP', this.#group, this.#consumer, 'COUNT', String(this.#options.batchSize ?? 100)];
    if (block) args.push('BLOCK', String(this.#options.blockMs ?? 2000));
    args.push('STREAMS', this.#stream, id);
    const entries = readStreamReply(await this.#command(args), this.#stream);
    for (const entry of entries) this.#apply(entry);
    if (entries.length > 0) await this.#command(['XACK', this.#stream, this.#group, ...entries.map((entry) => entry.id)]);
    return entries.length;
  }

  #apply(entry: StreamEntry): void {
    if (entry.fields === undefined) return;
    try {
      applyRevocationEvent(this.loop.store, this.#options, { id: entry.id, topic: this.#topic, fields: entry.fields });
    } catch (error) {
      this.#options.onError?.(error);
    }
  }

  #command(args: string[]): Promise<unknown> {
    return this.#options.client.sendCommand(args);
  }
}
