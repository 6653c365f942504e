import { useEffect, useState } from 'preact/hooks';
import type { AdminClient } from '../api/console-api.ts';
import { edgeFromRow, type AuthorityState, type EdgeView } from '../model/authority-state.ts';
import { constraintText } from './delegation-table.tsx';
import { DetailPane } from './detail-pane.tsx';

export interface EdgeDetailProps {
  api: AdminClient;
  state: AuthorityState;
  edgeId: string;
  onRevoke: (id: string) => void;
  onFocus: (sessionId: string) => void;
}

/** The selected edge: what it hands over, to whom, until when; and "Revoke". */
export function EdgeDetail(props: EdgeDetailProps) {
  // The feed's edge_create event carries no caveats: the edge's own row has them.
  const [row, setRow] = useState<EdgeView | undefined>(undefined);
  useEffect(() => {
    let current = true;
    setRow(undefined);
    props.api.delegations.get(props.edgeId).then(
      (answer) => current && setRow(edgeFromRow(answer)),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [props.api, props.edgeId]);
  const live = props.state.edges.get(props.edgeId);
  if (live === undefined) return null;
  // Status comes from the feed (newest); the rest from the row when it is in.
  const edge: EdgeView = row === undefined ? live : { ...row, status: live.status };
  // An end of the edge, a link that selects that session.
  const sessionLink = (sessionId: string) => (
    <button type="button" class="link mono" onClick={() => props.onFocus(sessionId)}>
      {sessionId}
    </button>
  );
  return (
    <DetailPane name="edge" id={edge.id}>
      <dl class="facts">
        <dt>Status</dt>
        <dd data-status={edge.status}>{edge.status}</dd>
        <dt>From</dt>
        <dd>{sessionLink(edge.source)}</dd>
        <dt>To</dt>
        <dd>{sessionLink(edge.target)}</dd>
        <dt>Scopes</dt>
        <dd>{edge.scopes.join(' ') || '—'}</dd>
        <dt>Resource</dt>
        <dd>{edge.resourceId ?? '—'}</dd>
        <dt>Caveats</dt>
        <dd>{constraintText(edge)}</dd>
        <dt>Expires</dt>
        <dd>{edge.expiresAt ?? '—'}</dd>
        <dt>Parent edge</dt>
        <dd class="mono">{edge.parentEdgeId ?? '—'}</dd>
      </dl>
      <div class="buttons">
        <button type="button" class="danger" disabled={edge.status !== 'active'} onClick={() => props.onRevoke(edge.id)}>
          Revoke
        </button>
      </div>
    </DetailPane>
  );
}
