import type { SessionEvent, UncheckedBody } from '@caracal/protocol';
import type { EventSourceMessage } from 'eventsource-parser';
import type { EventFilter, SessionClient } from '../http/session-client.ts';
import { readSseStream } from '../http/sse-stream.ts';
import type { SessionSettings } from '../settings/session-settings.ts';
import { eventMatcher } from './event-filter.ts';

export interface FollowRequest {
  settings: SessionSettings;
  client: SessionClient;
  sessionId: string;
  filter: EventFilter;
  /** Caps the events read from history before the live tail (all of them when absent). */
  limit: number | undefined;
  /** Ends the tail (Ctrl-C). */
  signal: AbortSignal;
  print(event: UncheckedBody<SessionEvent>): void;
  /** A line for stderr: a dropped connection, the session deleted. */
  notice(text: string): void;
  /** Waits before reconnecting; resolves early when `signal` aborts. */
  delay?(ms: number, signal: AbortSignal): Promise<void>;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/**
 * Prints a session's timeline so far, then every event appended to it, until `signal` aborts or
 * the session is deleted. The feed is opened first: its `init` fixes its position, and the
 * history is read after that, so no event falls between the two (one in both is printed once).
 * A dropped connection is resumed with `Last-Event-ID`, which replays exactly what was missed.
 */
export async function followSession(request: FollowRequest): Promise<void> {
  const matches = eventMatcher(request.filter);
  const wait = request.delay ?? abortableDelay;
  const url = `${request.settings.url}/sse/sessions?${new URLSearchParams({ session_id: request.sessionId }).toString()}`;
  const streamAbort = new AbortController();
  const stop = (): void => streamAbort.abort();
  request.signal.addEventListener('abort', stop, { once: true });

  let lastEventId: string | undefined;
  let history: Promise<void> | undefined;
  let historyIds: Set<unknown> | undefined;
  let pending: Array<UncheckedBody<SessionEvent>> | undefined = [];
  let deleted = false;
  let failure: unknown;

  const show = (event: UncheckedBody<SessionEvent>): void => {
    if (historyIds?.has(event.id) === true || !matches(event)) return;
    request.print(event);
  };
  const readHistory = async (): Promise<void> => {
    try {
      const events = await request.client.listEvents(request.sessionId, request.filter, request.limit);
      historyIds = new Set(events.map((event) => event.id));
      for (const event of events) request.print(event);
      const held = pending ?? [];
      pending = undefined;
      for (const event of held) show(event);
    } catch (error) {
      failure = error;
      streamAbort.abort();
    }
  };
  const onMessage = (message: EventSourceMessage): void => {
    if (message.id !== undefined && message.id !== '') lastEventId = message.id;
    const body = parseMessage(message.data);
    if (body === undefined) return;
    if (body.type === 'init') {
      // A later init means the server could not replay from our cursor (older than its bus holds).
      if (history !== undefined) request.notice('the feed could not replay what was missed while disconnected: read it with `caracal session events <id> --since …`');
      history ??= readHistory();
      return;
    }
    if (body.type === 'session_deleted' && body.session_id === request.sessionId) {
      deleted = true;
      streamAbort.abort();
      return;
    }
    if (body.type !== 'event' || typeof body.data !== 'object' || body.data === null) return;
    const event = body.data as UncheckedBody<SessionEvent>;
    if (pending !== undefined) pending.push(event);
    else show(event);
  };

  try {
    let backoff = RECONNECT_MIN_MS;
    for (;;) {
      const before = lastEventId;
      const end = await readSseStream({ url, token: request.settings.token, lastEventId, signal: streamAbort.signal, onMessage });
      await history;
      if (failure !== undefined) throw failure;
      if (deleted) {
        request.notice(`session ${request.sessionId} was deleted`);
        return;
      }
      if (request.signal.aborted) return;
      if (lastEventId !== before) backoff = RECONNECT_MIN_MS;
      const why = end.kind === 'broken' ? describe(end.error) : 'the server closed the stream';
      request.notice(`feed connection lost (${why}); resuming in ${backoff} ms`);
      await wait(backoff, request.signal);
      if (request.signal.aborted) return;
      backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
    }
  } finally {
    request.signal.removeEventListener('abort', stop);
  }
}

function parseMessage(data: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
