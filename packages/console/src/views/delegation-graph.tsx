import { useMemo } from 'preact/hooks';
import type { AuthorityState } from '../model/authority-state.ts';
import { NODE_HEIGHT, NODE_WIDTH, layoutGraph } from '../model/graph-layout.ts';
import { edgeLabel, graphView } from '../model/graph-model.ts';
import { statusText } from '../model/session-tree.ts';

/** Most sessions drawn at once; a larger zone is drawn from its roots or around a focus. */
const MAX_NODES = 80;

export interface DelegationGraphProps {
  state: AuthorityState;
  version: number;
  focus: string | null;
  collapsed: ReadonlySet<string>;
  path: ReadonlySet<string>;
  selectedEdge: string | undefined;
  onSelectEdge: (id: string) => void;
  onFocus: (sessionId: string) => void;
}

/**
 * Narrowest the graph is drawn, as a share of its natural size: its 11px ids stay readable at
 * three quarters; a graph wider than that scrolls sideways instead.
 */
const MIN_SCALE = 0.75;

/**
 * Shrinks a graph up to a third wider than its pane to fit it (the demo story's four ranks,
 * 1,740 px, fit a 1,600 px window), never enlarges one, and never shrinks below MIN_SCALE. Set
 * through the style object (CSSOM), which the console's `style-src 'self'` allows.
 */
function fitToWidth(width: number): Record<string, string> {
  return { width: '100%', maxWidth: `${width}px`, minWidth: `${Math.ceil(width * MIN_SCALE)}px`, height: 'auto' };
}

/** The delegation graph as SVG: who handed what to whom; revoked edges dashed, a mandate's path lit. */
export function DelegationGraph(props: DelegationGraphProps) {
  const { state, version, focus, collapsed, path } = props;
  const view = useMemo(() => graphView(state, { focus, collapsed, path, maxNodes: MAX_NODES }), [state, version, focus, collapsed, path]);
  // Layout depends on the topology only: a status change (a terminate's burst of events) redraws
  // colours without laying the graph out again.
  const topology = `${view.nodes.join(',')}|${view.edges.map((edge) => edge.id).join(',')}`;
  const showScopes = view.edges.length <= 60;
  const labels = new Map(showScopes ? view.edges.map((edge) => [edge.id, edge.scopes.join(' ')] as const) : []);
  const placed = useMemo(() => layoutGraph(view, labels), [topology]);
  const width = Math.max(placed.width, 200);
  const height = Math.max(placed.height, 80);
  return (
    <div class="graph-wrap">
      <p class="muted graph-note">
        {view.nodes.length} sessions, {view.edges.length} delegations drawn
        {view.omitted > 0 ? `; ${view.omitted} more sessions not drawn: focus on a session to see its part of the graph` : ''}
        {focus !== null ? `; focused on ${focus}` : ''}
      </p>
      <div class="graph-scroll">
        <svg
          role="group"
          aria-label="Delegation graph"
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          style={fitToWidth(width)}
          class="graph"
        >
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
            </marker>
          </defs>
          {placed.edges.map(({ edge: laidOut, points, label }) => {
            const edge = state.edges.get(laidOut.id) ?? laidOut;
            const d = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');
            const classes = ['edge', `edge-${edge.status}`, path.has(edge.id) ? 'edge-path' : '', props.selectedEdge === edge.id ? 'edge-selected' : ''];
            return (
              <g
                key={edge.id}
                role="button"
                // SVG attributes are case-sensitive: `tabIndex` would be an unknown attribute.
                tabindex={0}
                aria-label={edgeLabel(edge)}
                aria-pressed={props.selectedEdge === edge.id}
                data-status={edge.status}
                data-edge-id={edge.id}
                data-path={path.has(edge.id) ? 'true' : undefined}
                class={classes.join(' ')}
                onClick={() => props.onSelectEdge(edge.id)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    props.onSelectEdge(edge.id);
                  }
                }}
              >
                <title>{edgeLabel(edge)}</title>
                <path d={d} class="edge-hit" />
                <path d={d} class="edge-line" marker-end="url(#arrow)" />
                {label !== undefined && (
                  <text x={label.x} y={label.y + 4} text-anchor="middle" class="edge-text">
                    {edge.scopes.join(' ')}
                  </text>
                )}
              </g>
            );
          })}
          {placed.nodes.map((node) => {
            const session = state.sessions.get(node.id);
            const hidden = view.hiddenOutbound.get(node.id);
            const meta = `${session === undefined ? 'other zone or unknown' : `${session.applicationId} · ${statusText(session.status)}`}${hidden !== undefined ? ` · +${hidden} folded` : ''}`;
            return (
              <g
                key={node.id}
                role="button"
                tabindex={0}
                // The name holds the visible text (full id, then the meta line), so a voice user can say what they see.
                aria-label={`Focus on ${node.id} ${meta}`}
                class={`node status-${session?.status ?? 'unknown'}${focus === node.id ? ' node-focus' : ''}`}
                data-status={session?.status}
                transform={`translate(${node.x - NODE_WIDTH / 2},${node.y - NODE_HEIGHT / 2})`}
                onClick={() => props.onFocus(node.id)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    props.onFocus(node.id);
                  }
                }}
              >
                <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" />
                <text class="node-text">
                  <tspan x="8" y="14" class="node-id">
                    {node.id}
                  </tspan>{' '}
                  <tspan x="8" y="28" class="node-meta">
                    {meta}
                  </tspan>
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}
