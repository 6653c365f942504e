import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** What a live feed shows the operator: the `role="status"` text follows it. */
export type FeedStatus = 'connecting' | 'live' | 'reconnecting' | 'unauthorized' | 'failed';

export interface FollowSseOptions {
  /** Same-origin path with its query; never a token in it. */
  url: string;
  /** The operator mandate, sent as `Authorization: Bearer …` on every (re)connection. */
  token: () => string;
  onMessage: (message: EventSourceMessage) => void;
  onStatus: (status: FeedStatus, detail?: string) => void;
  signal: AbortSignal;
  fetch?: typeof fetch;
  /** Where to resume from (`Last-Event-ID`), when the caller has a cursor already. */
  lastEventId?: string;
  /** Wait before reconnection `attempt` (1, 2, …), in ms. @default 500 ms doubling up to 5 s, or the server's `retry:` */
  retryDelayMs?: (attempt: number) => number;
  /** Timer used for the reconnection wait (tests pass fake timers). */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Reads a `text/event-stream` with fetch, so the mandate travels in a header (EventSource could only
 * put it in the URL), and keeps reading: after a drop it reconnects with the last event id it saw as
 * `Last-Event-ID`, so the server replays exactly what was missed. Ends when `signal` aborts, or
 * for good on 401/403 (the mandate is no longer good) and other 4xx answers.
 */
export async function followSse(options: FollowSseOptions): Promise<void> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const wait = options.wait ?? abortableDelay;
  let lastEventId = options.lastEventId;
  let serverRetryMs: number | undefined;
  let attempt = 0;
  options.onStatus('connecting');
  while (!options.signal.aborted) {
    let gotEvents = false;
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${options.token()}` };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const response = await doFetch(options.url, { headers, signal: options.signal, cache: 'no-store' });
      if (response.status === 401 || response.status === 403) {
        options.onStatus('unauthorized', await errorText(response));
        return;
      }
      if (response.status === 400 && lastEventId !== undefined) {
        // The cursor is no longer one the server can resume from: start over without it.
        lastEventId = undefined;
        continue;
      }
      if (!response.ok || response.body === null) {
        if (response.status >= 400 && response.status < 500) {
          options.onStatus('failed', await errorText(response));
          return;
        }
        throw new Error(`feed answered ${response.status}`);
      }
      options.onStatus('live');
      const parser = createParser({
        onEvent: (message) => {
          gotEvents = true;
          if (message.id !== undefined) lastEventId = message.id;
          options.onMessage(message);
        },
        onRetry: (ms) => {
          serverRetryMs = ms;
        },
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch (error) {
      if (options.signal.aborted) return;
      void error;
    }
    if (options.signal.aborted) return;
    attempt = gotEvents ? 1 : attempt + 1;
    options.onStatus('reconnecting');
    const delay = serverRetryMs ?? (options.retryDelayMs ?? defaultRetryDelay)(attempt);
    serverRetryMs = undefined;
    try {
      await wait(delay, options.signal);
    } catch {
      return;
    }
  }
}

function defaultRetryDelay(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 5000);
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error_description?: unknown };
    return typeof body.error_description === 'string' ? body.error_description : `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}
