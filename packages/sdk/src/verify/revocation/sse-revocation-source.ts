import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import type { Dispatcher } from 'undici';
import { CaracalError } from '../../errors.ts';
import { backoffDelay } from '../../retry/backoff.ts';
import type { Clock } from '../../time/clock.ts';
import { applyRevocationEvent } from './apply-revocation-event.ts';
import { FeedLoop } from './feed-loop.ts';
import { feedFailure, feedResponseError } from './feed-failure.ts';
import { resolveFetch, type VerifierFetch } from '../core/verifier-fetch.ts';
import { DELEGATIONS_INVALIDATE_TOPIC, SESSIONS_REVOKE_TOPIC, type RevocationEventFields } from './revocation-event.ts';
import type { RevocationSource, RevocationSourceCommonOptions } from './revocation-source.ts';
import { startedSource } from './started-source.ts';
import { REVOCATION_RETENTION_MS } from './revocation-store.ts';

/**
 * Reconnection backoff of the SSE feed.
 * @since 0.1.0
 */
export interface SseReconnectPolicy {
  /** @default 250 */
  readonly minDelayMs: number;
  /** @default 30000 */
  readonly maxDelayMs: number;
  /** @default 2 */
  readonly factor: number;
  /** Fraction of each delay taken off at random, 0–1. @default 0.5 */
  readonly jitter: number;
}

const DEFAULT_RECONNECT: SseReconnectPolicy = Object.freeze({ minDelayMs: 250, maxDelayMs: 30_000, factor: 2, jitter: 0.5 });

/** A line or event longer than this ends the connection: a feed that never ends one must not grow memory. */
const MAX_BUFFERED_CHARS = 1024 * 1024;

/** @since 0.1.0 */
export interface SseRevocationSourceOptions extends RevocationSourceCommonOptions {
  /** The Coordinator's base URL; the feed is `${url}/zones/${zoneId}/events`. */
  readonly url: string;
  readonly zoneId: string;
  /** A session mandate with `agent:lifecycle`, or a function returning one (called on every connect). */
  readonly token?: string;
  /**
   * Called on every connect. After the feed refused a token (401), `refusedToken` names it so a
   * caching source can mint a new one: `(hint) => caracal.sessionMandate(hint)` does.
   */
  readonly tokenSource?: (hint: { readonly refusedToken?: string | undefined }) => string | Promise<string>;
  /** @default [SESSIONS_REVOKE_TOPIC, DELEGATIONS_INVALIDATE_TOPIC] */
  readonly topics?: readonly string[];
  /**
   * How far back the first connection asks the feed to replay, as a resume cursor
   * (`Last-Event-ID: <topic>@<ms>-0,…`, the feed's own cursor form). @default REVOCATION_RETENTION_MS
   * (24 h); 0 = only new events.
   */
  readonly replayMs?: number;
  readonly reconnect?: Partial<SseReconnectPolicy>;
  readonly fetch?: VerifierFetch;
  readonly dispatcher?: Dispatcher;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/**
 * Feeds a revocation store from the Coordinator's server-sent events
 * (`GET /zones/{zoneId}/events?topics=…`). Reconnects for ever with exponential backoff (or the
 * server's `retry:`), resuming with `Last-Event-ID`, until closed. Its `health()` says whether it
 * is live; `ready()` rejects once it is down (see {@link RevocationSource.ready}).
 * @example
 * const revocation = sseRevocationSource({ url: 'https://caracal.internal', zoneId: 'zone_prod', tokenSource: (hint) => caracal.sessionMandate(hint) });
 * await revocation.ready();
 * const verifier = createVerifier({ issuer, zoneId: 'zone_prod', audience, revocation });
 * @since 0.1.0
 */
export function sseRevocationSource(options: SseRevocationSourceOptions): RevocationSource {
  if (options.token === undefined && options.tokenSource === undefined) {
    throw new CaracalError('CONFIG_INVALID', 'sseRevocationSource needs token or tokenSource.', { settings: ['token', 'tokenSource'] });
  }
  return startedSource(new SseFeed(options));
}

class SseFeed {
  readonly loop: FeedLoop;
  readonly #options: SseRevocationSourceOptions;
  readonly #url: string;
  readonly #fetch: VerifierFetch;
  #lastEventId: string | undefined;
  #retryMs: number | undefined;
  #refusedToken: string | undefined;

  constructor(options: SseRevocationSourceOptions) {
    this.#options = options;
    this.loop = new FeedLoop(options);
    this.#fetch = resolveFetch(options);
    const topics = [...(options.topics ?? [SESSIONS_REVOKE_TOPIC, DELEGATIONS_INVALIDATE_TOPIC])].sort();
    this.#url = `${options.url.replace(/\/+$/, '')}/zones/${encodeURIComponent(options.zoneId)}/events?topics=${encodeURIComponent(topics.join(','))}`;
    const replayMs = options.replayMs ?? REVOCATION_RETENTION_MS;
    if (replayMs > 0) {
      const since = `${Math.max(0, this.loop.clock.now() - replayMs)}-0`;
      this.#lastEventId = topics.map((topic) => `${topic}@${since}`).join(',');
    }
  }

  start(): void {
    this.loop.start(() => this.#run());
  }

  async close(): Promise<void> {
    await this.loop.stop('The SSE revocation source was closed before it connected.');
  }

  async #run(): Promise<void> {
    const policy = { ...DEFAULT_RECONNECT, ...this.#options.reconnect };
    let attempt = 0;
    while (!this.loop.signal.aborted) {
      let failure: CaracalError;
      try {
        await this.#connect(() => {
          attempt = 0;
        });
        failure = new CaracalError('NETWORK_ERROR', 'The revocation feed closed the connection; reconnecting.');
      } catch (error) {
        if (this.loop.signal.aborted) return;
        failure = feedFailure(error, this.#url);
        this.#options.onError?.(failure);
      }
      if (this.loop.signal.aborted) return;
      // A refusal of the credentials will not heal by retrying them: the feed is down at once.
      this.loop.health.failed(failure, failure.status === 401 || failure.status === 403);
      attempt++;
      const delay = this.#retryMs ?? backoffDelay(attempt, policy, this.#options.random ?? Math.random);
      await this.loop.clock.sleep(delay, this.loop.signal).catch(() => undefined);
    }
  }

  async #connect(onConnected: () => void): Promise<void> {
    const token = this.#options.tokenSource === undefined ? this.#options.token : await this.#options.tokenSource({ refusedToken: this.#refusedToken });
    const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${String(token)}`, 'cache-control': 'no-cache' };
    if (this.#lastEventId !== undefined) headers['last-event-id'] = this.#lastEventId;
    const response = await this.#fetch(this.#url, { method: 'GET', headers, signal: this.loop.signal });
    if (response.status === 400 && this.#lastEventId !== undefined) {
      // The feed no longer knows our cursor (say, the server's streams were trimmed): start fresh.
      this.#lastEventId = undefined;
      throw new CaracalError('REQUEST_FAILED', 'The revocation feed refused the resume cursor; reconnecting without it.', { status: 400 });
    }
    if (!response.ok || response.body === null) {
      this.#refusedToken = response.status === 401 ? token : undefined;
      throw await feedResponseError(response, this.#url);
    }
    this.#refusedToken = undefined;
    onConnected();
    this.loop.health.live();
    let overflow: ParseError | undefined;
    // An event without `id:` keeps the last one seen on this connection (the SSE spec's last event id).
    let lastId: string | undefined;
    const parser = createParser({
      onEvent: (event) => {
        if (event.id !== undefined) lastId = this.#lastEventId = event.id;
        this.#apply(event, lastId);
      },
      onRetry: (retryMs) => {
        this.#retryMs = retryMs;
      },
      // Unknown fields and malformed `retry:` lines are ignored, as the SSE spec says.
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') overflow = error;
      },
      maxBufferSize: MAX_BUFFERED_CHARS,
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (overflow !== undefined) {
        throw new CaracalError('INVALID_RESPONSE', 'The revocation feed sent a line or event over 1 MiB; reconnecting.', { cause: overflow });
      }
    }
  }

  #apply(event: EventSourceMessage, id: string | undefined): void {
    let fields: RevocationEventFields;
    try {
      fields = JSON.parse(event.data) as RevocationEventFields;
    } catch (error) {
      this.#options.onError?.(new CaracalError('INVALID_RESPONSE', 'A revocation event is not JSON.', { cause: error }));
      return;
    }
    if (typeof fields !== 'object' || fields === null) return;
    // The event name is the topic when the feed names it; otherwise the fields say (or the type does).
    const topic = event.event?.startsWith('caracal.') === true ? event.event : undefined;
    applyRevocationEvent(this.loop.store, this.#options, { id, topic, fields });
  }
}
