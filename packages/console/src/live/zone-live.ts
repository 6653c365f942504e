import type { AgentSession, DelegationEdge, FeedEvent, SeedSession } from '@caracal/protocol';
import type { EventSourceMessage } from 'eventsource-parser';
import { collect, type AdminClient } from '../api/console-api.ts';
import { addEdge, addSession, applyFeedEvent, edgeFromRow, emptyAuthority, sessionFromRow, setBlueprints, type AuthorityState } from '../model/authority-state.ts';
import { followSse, type FeedStatus } from './follow-sse.ts';

export interface ZoneLiveOptions {
  api: AdminClient;
  zoneId: string;
  token: () => string;
  onUnauthorized: (description: string) => void;
  /** Where the API is; the page's own origin by default (paths stay relative). */
  baseUrl?: string;
}

/**
 * The zone's sessions and edges, kept current from the zone feed. The feed opens first and its
 * position is fixed (`ready`) before the lists are read; events that arrive meanwhile wait and are
 * applied after the lists, so nothing committed in between is lost (applying twice is harmless).
 */
export class ZoneLive {
  readonly state: AuthorityState = emptyAuthority();
  status: FeedStatus = 'connecting';
  loaded = false;
  loadError: string | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly controller = new AbortController();
  private pending: FeedEvent[] | undefined = [];
  private notifyScheduled = false;
  private loadStarted = false;

  private readonly options: ZoneLiveOptions;

  constructor(options: ZoneLiveOptions) {
    this.options = options;
  }

  start(): void {
    void followSse({
      url: `${this.options.baseUrl ?? ''}/zones/${encodeURIComponent(this.options.zoneId)}/events`,
      token: this.options.token,
      signal: this.controller.signal,
      onMessage: (message) => this.onMessage(message),
      onStatus: (status, detail) => {
        this.status = status;
        if (status === 'unauthorized') this.options.onUnauthorized(detail ?? 'the operator mandate was refused');
        this.notify();
      },
    });
  }

  stop(): void {
    this.controller.abort();
    this.listeners.clear();
  }

  /** Feed events received while the lists are read, waiting to be applied after them. */
  get heldBack(): number {
    return this.pending?.length ?? 0;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onMessage(message: EventSourceMessage): void {
    if (message.event === 'ready') {
      // Every (re)connection starts with `ready`; the lists are read once, after the first.
      if (!this.loadStarted) {
        this.loadStarted = true;
        void this.load();
      }
      return;
    }
    if (message.event !== undefined && message.event !== 'message') return;
    let event: FeedEvent;
    try {
      event = JSON.parse(message.data) as FeedEvent;
    } catch {
      return;
    }
    if (this.pending !== undefined) {
      this.pending.push(event);
      return;
    }
    if (applyFeedEvent(this.state, event)) this.notify();
  }

  private async load(): Promise<void> {
    try {
      const edges = collect<DelegationEdge>(this.options.api.delegations.list({ limit: 500 }));
      // Awaited below; until then a failure must not surface as an unhandled rejection.
      edges.catch(() => undefined);
      // The tree shows as soon as the sessions are in; the edges (up to four pages) follow.
      for (const row of await collect<AgentSession>(this.options.api.sessions.list({ limit: 500 }))) addSession(this.state, sessionFromRow(row));
      this.loaded = true;
      this.notify();
      for (const row of await edges) addEdge(this.state, edgeFromRow(row));
      for (const event of this.pending ?? []) applyFeedEvent(this.state, event);
      this.pending = undefined;
      void this.loadBlueprints();
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
      if ((error as { status?: number }).status === 401) this.options.onUnauthorized(this.loadError);
    }
    this.state.version += 1;
    this.notify();
  }

  /** The blueprint each session runs lives on the Agent Coordinator's session view: read once, after the tree shows. */
  private async loadBlueprints(): Promise<void> {
    try {
      const blueprints = new Map<string, string>();
      for await (const session of this.options.api.timeline.sessions({ limit: 500 }) as AsyncIterable<SeedSession>) {
        if (session.agent_name !== null) blueprints.set(session.session_id, session.agent_name);
      }
      setBlueprints(this.state, blueprints);
      this.notify();
    } catch {
      // Only a column goes without: the tree stands on its own.
    }
  }

  /** Views re-render at most once a frame, however many events arrive in it. */
  private notify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const flush = () => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 0);
  }
}
