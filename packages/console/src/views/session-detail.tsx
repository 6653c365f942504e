import type { AdminClient } from '../api/console-api.ts';
import { useTimeline } from '../live/use-timeline.ts';
import type { AuthorityState } from '../model/authority-state.ts';
import type { ActionKind } from '../model/impact-text.ts';
import { statusText } from '../model/session-tree.ts';
import { DetailPane } from './detail-pane.tsx';
import { TimelineLog } from './timeline-log.tsx';

export interface SessionDetailProps {
  api: AdminClient;
  token: () => string;
  state: AuthorityState;
  sessionId: string;
  onAction: (kind: ActionKind, id: string) => void;
  onShowPath: (sessionId: string, edgeIds: string[]) => void;
  onFocusGraph: (sessionId: string) => void;
}

/** The selected session: its authority, the actions on its subtree, and its live timeline. */
export function SessionDetail(props: SessionDetailProps) {
  const { state, sessionId } = props;
  const session = state.sessions.get(sessionId);
  const timeline = useTimeline(props.api, props.token, sessionId);
  if (session === undefined) return <p class="muted">Session {sessionId} is not in this zone's view.</p>;
  const children = state.children.get(sessionId)?.length ?? 0;
  return (
    <DetailPane name="session" id={session.id}>
      <dl class="facts">
        <dt>Status</dt>
        <dd data-status={session.status}>{statusText(session.status)}</dd>
        <dt>Application</dt>
        <dd>{session.applicationId}</dd>
        <dt>Depth</dt>
        <dd>{session.depth}</dd>
        <dt>Kind</dt>
        <dd>{session.kind || '—'}</dd>
        <dt>Blueprint</dt>
        <dd>{timeline.session?.agent_name ?? session.blueprint ?? '—'}</dd>
        <dt>Run status</dt>
        {/* The seed shape answers `running` for any live session; without an executor no run ever started. */}
        <dd>{timeline.session === undefined || timeline.session.executor_session_id === null ? 'no run started' : timeline.session.status}</dd>
        <dt>Parent</dt>
        <dd class="mono">{session.parentId ?? '—'}</dd>
        <dt>Children</dt>
        <dd>{children}</dd>
      </dl>
      <div class="buttons" role="group" aria-label="Session actions">
        <button type="button" disabled={session.status !== 'active'} onClick={() => props.onAction('suspend', session.id)}>
          Suspend
        </button>
        <button type="button" disabled={session.status !== 'suspended'} onClick={() => props.onAction('resume', session.id)}>
          Resume
        </button>
        <button type="button" class="danger" disabled={session.status === 'terminated'} onClick={() => props.onAction('terminate', session.id)}>
          Terminate
        </button>
        <button type="button" onClick={() => props.onFocusGraph(session.id)}>
          Show in graph
        </button>
      </div>
      <h3>
        Timeline <span class="muted small">({timeline.status === 'live' ? 'following live' : timeline.status})</span>
      </h3>
      <TimelineLog events={timeline.events} onShowPath={(edgeIds) => props.onShowPath(session.id, edgeIds)} />
    </DetailPane>
  );
}
