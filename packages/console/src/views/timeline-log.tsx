import type { SessionEvent } from '@caracal/protocol';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { pathEdgeIds } from '../model/graph-model.ts';
import { eventSummary } from '../live/timeline-state.ts';

export interface TimelineLogProps {
  events: readonly SessionEvent[];
  /** Lights up a mandate's delegation path in the graph. */
  onShowPath: (edgeIds: string[]) => void;
}

/** Newest last, like a log; the region announces nothing by itself (it would be too chatty). */
export function TimelineLog({ events, onShowPath }: TimelineLogProps) {
  const log = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  // Following live: stay at the newest event unless the operator scrolled up to read.
  useLayoutEffect(() => {
    const element = log.current;
    if (element !== null && pinned.current) element.scrollTop = element.scrollHeight;
  }, [events]);
  return (
    <div
      ref={log}
      role="log"
      aria-label="Timeline"
      aria-live="off"
      class="timeline"
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      }}
    >
      {events.length === 0 && <p class="empty">No events yet.</p>}
      {events.map((event) => {
        const path = event.event_type === 'mandate_minted' ? pathEdgeIds(event.details) : [];
        return (
          <article key={event.id} class={`event source-${event.source} type-${event.event_type.replace(/[^a-z_]/gi, '')}`} data-event-type={event.event_type}>
            <time dateTime={event.timestamp}>{event.timestamp.slice(11, 23)}</time>
            <strong>{event.event_type}</strong>
            <span class="muted">{event.source}</span>
            <span class="summary">{eventSummary(event)}</span>
            {path.length > 0 && (
              <button type="button" class="link" onClick={() => onShowPath(path)} aria-label={`Show delegation path of mandate ${String(event.details?.['jti'] ?? event.id)}`}>
                Show path
              </button>
            )}
          </article>
        );
      })}
    </div>
  );
}
