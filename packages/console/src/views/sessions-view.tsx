import type { AdminClient } from '../api/console-api.ts';
import type { AuthorityState } from '../model/authority-state.ts';
import type { ActionKind } from '../model/impact-text.ts';
import { SessionDetail } from './session-detail.tsx';
import { SessionTree } from './session-tree.tsx';

export interface SessionsViewProps {
  api: AdminClient;
  token: () => string;
  state: AuthorityState;
  version: number;
  selected: string | undefined;
  onSelect: (id: string) => void;
  onAction: (kind: ActionKind, id: string) => void;
  onShowPath: (sessionId: string, edgeIds: string[]) => void;
  onFocusGraph: (sessionId: string) => void;
}

/** The session tree beside the selected session's detail and timeline. */
export function SessionsView(props: SessionsViewProps) {
  const counts = { active: 0, suspended: 0, terminated: 0 };
  for (const session of props.state.sessions.values()) counts[session.status] += 1;
  return (
    <div class="split">
      <section class="pane" aria-labelledby="tree-title">
        <h2 id="tree-title">Sessions</h2>
        <p class="muted">
          {props.state.sessions.size} sessions: {counts.active} running, {counts.suspended} suspended, {counts.terminated} terminated
        </p>
        <SessionTree state={props.state} version={props.version} selected={props.selected} onSelect={props.onSelect} />
      </section>
      <div class="pane">
        {props.selected === undefined ? (
          <p class="muted">Select a session to see its authority, act on its subtree and follow its timeline.</p>
        ) : (
          <SessionDetail
            key={props.selected}
            api={props.api}
            token={props.token}
            state={props.state}
            sessionId={props.selected}
            onAction={props.onAction}
            onShowPath={props.onShowPath}
            onFocusGraph={props.onFocusGraph}
          />
        )}
      </div>
    </div>
  );
}
