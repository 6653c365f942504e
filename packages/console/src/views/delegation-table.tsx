import { useMemo } from 'preact/hooks';
import type { AuthorityState, EdgeView } from '../model/authority-state.ts';
import { useVirtualList } from './use-virtual-list.ts';

const ROW_HEIGHT = 30;
const COLUMNS = ['Edge', 'Status', 'From', 'To', 'Scopes', 'Resource', 'Constraints', 'Expires'];

/** Every edge of the zone as an accessible table (the graph's fallback), virtualised. */
export function DelegationTable(props: { state: AuthorityState; version: number; selectedEdge: string | undefined; onSelectEdge: (id: string) => void }) {
  const { state, version } = props;
  const edges = useMemo(() => [...state.edges.values()].sort((a, b) => (a.id < b.id ? 1 : -1)), [state, version]);
  const list = useVirtualList(edges.length, ROW_HEIGHT);
  return (
    <div role="table" aria-label="Delegations" aria-rowcount={edges.length + 1} class="table">
      <div role="rowgroup" class="table-head">
        <div role="row" aria-rowindex={1} class="table-row">
          {COLUMNS.map((column) => (
            <span role="columnheader" key={column}>
              {column}
            </span>
          ))}
        </div>
      </div>
      <div role="rowgroup" class="table-scroll" ref={list.scrollRef}>
        <div class="table-body" style={{ height: `${list.totalSize}px` }}>
          {list.items.map((item) => {
            const edge = edges[item.index]!;
            return (
              <div
                role="row"
                key={edge.id}
                aria-rowindex={item.index + 2}
                data-status={edge.status}
                data-selected={props.selectedEdge === edge.id ? 'true' : undefined}
                class={`table-row edge-row edge-${edge.status}`}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => props.onSelectEdge(edge.id)}
              >
                <span role="cell" class="mono">
                  <button type="button" class="link" onClick={() => props.onSelectEdge(edge.id)}>
                    {edge.id}
                  </button>
                </span>
                <span role="cell">{edge.status}</span>
                <span role="cell" class="mono">{edge.source}</span>
                <span role="cell" class="mono">{edge.target}</span>
                <span role="cell">{edge.scopes.join(' ')}</span>
                <span role="cell">{edge.resourceId ?? '—'}</span>
                <span role="cell">{constraintText(edge)}</span>
                <span role="cell">{edge.expiresAt ?? '—'}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export function constraintText(edge: EdgeView): string {
  if (edge.constraints === null) return '—';
  const entries = Object.entries(edge.constraints).filter(([, value]) => value !== null && value !== undefined);
  return entries.length === 0 ? '—' : entries.map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join(', ');
}
