/**
 * A verifier's view of revocations: the SSE feed `GET /zones/{zoneId}/events` on the
 * `caracal.sessions.revoke` topic, kept open for the whole run. When the connection drops it
 * reconnects (to whichever replica `url()` names) with `Last-Event-ID`, so it resumes exactly
 * where it stopped. Collects the revoked session ids.
 */
export class RevocationFeed {
  readonly revoked = new Set<string>();
  reconnects = 0;
  /**
   * The feed has sent its `ready` event: its position is fixed, and every revocation from then on
   * reaches it. A feed starts at the newest entry, so what was revoked before is not sent to it.
   */
  subscribed = false;
  /** The cursor of the last event received (what a reconnect resumes from). */
  lastEventId: string | undefined;
  private closed = false;
  private controller: AbortController | undefined;
  private readonly done: Promise<void>;

  constructor(url: () => string, zoneId: string, token: string) {
    this.done = this.follow(url, zoneId, token);
  }

  private async follow(url: () => string, zoneId: string, token: string): Promise<void> {
    while (!this.closed) {
      this.controller = new AbortController();
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
        if (this.lastEventId !== undefined) headers['last-event-id'] = this.lastEventId;
        const response = await fetch(`${url()}/zones/${zoneId}/events?topics=caracal.sessions.revoke`, { headers, signal: this.controller.signal });
        if (response.body === null) throw new Error(`feed answered ${response.status}`);
        await this.read(response.body);
      } catch {
        // dropped (replica killed, paused past a timeout, closing): resume below
      }
      if (this.closed) return;
      this.reconnects += 1;
      // A short pause before reconnecting, so a replica that is down is not hammered.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let id: string | undefined;
    let data = '';
    let event = '';
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (id !== undefined) this.lastEventId = id;
          if (event === 'ready') this.subscribed = true;
          else if (data !== '') this.take(data);
          id = undefined;
          data = '';
          event = '';
        } else if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
        else if (line.startsWith('event:')) event = line.slice(6).trim();
      }
    }
  }

  private take(data: string): void {
    const event = JSON.parse(data) as { type?: string; payload?: { agent_session_id?: string } };
    if (event.type === 'session_revoked' && event.payload?.agent_session_id !== undefined) this.revoked.add(event.payload.agent_session_id);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.controller?.abort();
    await this.done;
  }
}
