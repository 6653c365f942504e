import type { EventSourceMessage } from 'eventsource-parser';
import { CliError } from '../errors.ts';
import { serverFailure } from './server-failure.ts';

/** How one SSE connection ended: the server closed it, or it broke (network). */
export type SseEnd = { kind: 'closed' } | { kind: 'broken'; error: unknown };

export interface SseRequest {
  url: string;
  token: string;
  /** Sent as `Last-Event-ID`, so the feed replays what came after it. */
  lastEventId: string | undefined;
  signal: AbortSignal;
  onMessage(message: EventSourceMessage): void;
}

/**
 * Reads one `text/event-stream` response until it ends, handing each message to `onMessage`. A
 * refusal (non-2xx) throws the server's error as the other commands report it; a dropped
 * connection resolves `broken`, so the caller decides whether to resume.
 */
export async function readSseStream(request: SseRequest): Promise<SseEnd> {
  // Loaded on first use, as in request-json.ts: `--help` should pay for neither.
  const [{ request: send }, { createParser }] = await Promise.all([import('undici'), import('eventsource-parser')]);
  const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${request.token}`, 'user-agent': 'caracal-cli' };
  if (request.lastEventId !== undefined) headers['last-event-id'] = request.lastEventId;
  let response: Awaited<ReturnType<typeof send>>;
  try {
    response = await send(request.url, { method: 'GET', headers, signal: request.signal });
  } catch (error) {
    return { kind: 'broken', error };
  }
  if (response.statusCode < 200 || response.statusCode > 299) {
    const text = await response.body.text().catch(() => '');
    const requestId = response.headers['x-request-id'];
    const failure = serverFailure(response.statusCode, text, Array.isArray(requestId) ? requestId[0] : requestId);
    throw new CliError('http_error', `${failure.error}: ${failure.description}`, { server: failure });
  }
  const parser = createParser({ onEvent: (message) => request.onMessage(message) });
  try {
    // Decoded as a stream, so a character split across two chunks arrives whole.
    response.body.setEncoding('utf8');
    for await (const chunk of response.body) parser.feed(chunk as string);
  } catch (error) {
    return { kind: 'broken', error };
  }
  return { kind: 'closed' };
}
