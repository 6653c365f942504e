/** One event of the live feed, as its JSON carries it. */
export interface FeedEventJson {
  topic: string;
  type: string;
  zone_id: string;
  payload: Record<string, unknown>;
}

/** A live feed being read: the events so far, and a wait for one that matches. */
export interface FeedReader {
  readonly events: FeedEventJson[];
  /** Resolves once the feed is live (its `ready` message arrived). */
  readonly ready: Promise<void>;
  /** Resolves with the first event (seen or to come) that matches. */
  until(match: (event: FeedEventJson) => boolean): Promise<FeedEventJson>;
  close(): void;
}

function reader(): { feed: Omit<FeedReader, 'ready' | 'close'>; push(event: FeedEventJson): void } {
  const events: FeedEventJson[] = [];
  const waiters = new Set<{ match: (event: FeedEventJson) => boolean; resolve: (event: FeedEventJson) => void }>();
  return {
    feed: {
      events,
      until: (match) =>
        new Promise((resolve) => {
          const seen = events.find(match);
          if (seen !== undefined) resolve(seen);
          else waiters.add({ match, resolve });
        }),
    },
    push(event) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (!waiter.match(event)) continue;
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    },
  };
}

/** Reads `GET /zones/{zoneId}/events` (SSE) with `token`. */
export async function readSseFeed(url: string, token: string): Promise<FeedReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, signal: controller.signal });
  if (response.status !== 200 || response.body === null) throw new Error(`the feed answered ${response.status}`);
  const { feed, push } = reader();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary).split('\n');
          buffer = buffer.slice(boundary + 2);
          const data = block.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (block.includes('event: ready')) markReady();
          else if (data !== '') push(JSON.parse(data) as FeedEventJson);
        }
      }
    } catch {
      // Closed by the test.
    }
  })();
  return { ...feed, ready, close: () => controller.abort() };
}

/** Reads `GET /ws?zone_id=…` (WebSocket, Node's global client) with `token` in the query. */
export function readWebSocketFeed(url: string, token: string): FeedReader {
  const socket = new WebSocket(`${url}&access_token=${encodeURIComponent(token)}`);
  const { feed, push } = reader();
  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('error', () => reject(new Error('the WebSocket feed failed')));
    socket.addEventListener('message', (message) => {
      const json = JSON.parse(String(message.data)) as FeedEventJson & { ready?: boolean };
      if (json.ready === true) resolve();
      else push(json);
    });
  });
  return { ...feed, ready, close: () => socket.close() };
}
