import { useState } from 'preact/hooks';
import type { AdminClient } from '../api/console-api.ts';
import type { AuthorityState } from '../model/authority-state.ts';
import { DelegationGraph } from './delegation-graph.tsx';
import { DelegationTable } from './delegation-table.tsx';
import { EdgeDetail } from './edge-detail.tsx';

export interface DelegationsViewProps {
  api: AdminClient;
  state: AuthorityState;
  version: number;
  focus: string | null;
  path: ReadonlySet<string>;
  selectedEdge: string | undefined;
  onSelectEdge: (id: string) => void;
  onFocus: (sessionId: string | null) => void;
  onClearPath: () => void;
  onRevoke: (id: string) => void;
}

/** The graph (focused, collapsible), the selected edge, and every edge as a table. */
export function DelegationsView(props: DelegationsViewProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const focusChildren = props.focus === null ? [] : (props.state.outbound.get(props.focus) ?? []).map((id) => props.state.edges.get(id)?.target ?? '');
  const folded = focusChildren.length > 0 && focusChildren.every((id) => collapsed.has(id));
  const toggleFold = () => {
    const next = new Set(collapsed);
    for (const id of focusChildren) {
      if (folded) next.delete(id);
      else next.add(id);
    }
    setCollapsed(next);
  };
  return (
    <div class="delegations">
      <div class="section-head">
        <h2>Delegations</h2>
        <button type="button" disabled={props.focus === null} onClick={() => props.onFocus(null)}>
          Show whole graph
        </button>
        <button type="button" disabled={focusChildren.length === 0} onClick={toggleFold}>
          {folded ? 'Unfold below the focus' : 'Fold below the focus'}
        </button>
        <button type="button" disabled={props.path.size === 0} onClick={props.onClearPath}>
          Clear highlighted path
        </button>
        {props.path.size > 0 && <span class="path-note">Mandate path: {props.path.size} edges highlighted</span>}
      </div>
      <div class="pane">
        <DelegationGraph
          state={props.state}
          version={props.version}
          focus={props.focus}
          collapsed={collapsed}
          path={props.path}
          selectedEdge={props.selectedEdge}
          onSelectEdge={props.onSelectEdge}
          onFocus={props.onFocus}
        />
      </div>
      {props.selectedEdge === undefined ? (
        <p class="muted">Select an edge in the graph or the table to see what it hands over, and to revoke it.</p>
      ) : (
        <EdgeDetail api={props.api} state={props.state} edgeId={props.selectedEdge} onRevoke={props.onRevoke} onFocus={props.onFocus} />
      )}
      <DelegationTable state={props.state} version={props.version} selectedEdge={props.selectedEdge} onSelectEdge={props.onSelectEdge} />
    </div>
  );
}
