import { waitFor } from '../../helpers/wait-for.ts';

export interface SseMessage {
  id: string | undefined;
  /** The `event:` name; undefined for unnamed events. */
  event?: string | undefined;
  data: string;
}

/** The feed's first, named `ready` event: the starting cursor. */
export interface SseReady {
  id: string | undefined;
}

/** A minimal streaming SSE reader over fetch: collects messages and comment lines as they arrive. */
export interface SseStream {
  status: number;
  headers: Headers;
  /** Every event but `ready`, named (the session feed's) or not (what EventSource's onmessage sees). */
  messages: SseMessage[];
  comments: string[];
  /** Resolves with the `ready` event once the feed is live. */
  ready: Promise<SseReady>;
  /** Waits until at least `count` messages have arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
}

export async function openSseStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let markReady: (ready: SseReady) => void = () => {};
  const ready = new Promise<SseReady>((resolve) => {
    markReady = resolve;
  });
  const ended = (async () => {
    if (response.body === null || !response.headers.get('content-type')?.startsWith('text/event-stream')) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          let id: string | undefined;
          let event: string | undefined;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (event === 'ready') markReady({ id });
          else if (data.length > 0) messages.push(event === undefined ? { id, data: data.join('\n') } : { id, event, data: data.join('\n') });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    messages,
    comments,
    ready,
    async waitForMessages(count, timeoutMs = 10_000) {
      await waitFor(() => messages.length >= count, { timeoutMs, what: `${count} SSE messages (have ${messages.length})` });
      return messages;
    },
    close: () => controller.abort(),
    ended,
  };
}
