/** One dispatched server-sent event. @internal */
export interface ServerSentEvent {
  /** The last event id as of this event (ids persist across events, per the spec). */
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/** Lines longer than this are dropped whole: a feed that never ends a line must not grow memory. */
const MAX_LINE_LENGTH = 1024 * 1024;

/**
 * Incremental `text/event-stream` parser (WHATWG HTML, server-sent events): feed it decoded text
 * as it arrives, get complete events back. Pure: no I/O, no timers.
 * @internal
 */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #idBuffer: string | undefined;
  #lastEventId: string | undefined;
  #retryMs: number | undefined;
  #skipLeadingLineFeed = false;

  /** The id to resume from (`Last-Event-ID`), updated as events are dispatched. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  /** The reconnection delay the server asked for with `retry:`, if any. */
  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  /** Parses `chunk` and returns the events it completed. */
  push(chunk: string): ServerSentEvent[] {
    let text = chunk;
    // A CR ended the previous chunk; an LF opening this one is the second half of that CRLF.
    if (this.#skipLeadingLineFeed && text.startsWith('\n')) text = text.slice(1);
    this.#skipLeadingLineFeed = text.endsWith('\r');
    this.#buffer += text;
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (let index = 0; index < this.#buffer.length; index++) {
      const code = this.#buffer.charCodeAt(index);
      if (code !== 0x0a && code !== 0x0d) continue;
      const event = this.#line(this.#buffer.slice(start, index));
      if (event !== undefined) events.push(event);
      if (code === 0x0d && this.#buffer.charCodeAt(index + 1) === 0x0a) index++;
      start = index + 1;
    }
    this.#buffer = this.#buffer.slice(start);
    if (this.#buffer.length > MAX_LINE_LENGTH) this.#buffer = '';
    return events;
  }

  #line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#idBuffer = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.#retryMs = Number(value);
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    this.#lastEventId = this.#idBuffer;
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = '';
    if (data.length === 0) return undefined;
    return { id: this.#lastEventId, event: event === '' ? 'message' : event, data: data.join('\n') };
  }
}
