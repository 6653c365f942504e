import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeView } from './authority-state.ts';
import type { GraphView } from './graph-model.ts';

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
}

export interface PlacedEdge {
  edge: EdgeView;
  points: Array<{ x: number; y: number }>;
  /** Where its label goes, when it has one. */
  label?: { x: number; y: number };
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const NODE_WIDTH = 270;
export const NODE_HEIGHT = 34;
/** Edge label metrics (10.5px sans text), for the room dagre keeps for it. */
const LABEL_CHAR_WIDTH = 6;
const LABEL_HEIGHT = 14;

/**
 * Lays the chosen part of the graph out left to right with dagre (layered, few crossings): a wide
 * fan-out then grows downwards, the direction a page scrolls.
 */
export function layoutGraph(view: GraphView, labels: ReadonlyMap<string, string> = new Map()): GraphLayout {
  const graph = new Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 90, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of view.nodes) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  // A labelled edge reserves room for its label (dagre places it like a small node), so a label
  // neither crosses another edge nor hides under a node box.
  for (const edge of view.edges) {
    const text = labels.get(edge.id);
    const room = text === undefined ? {} : { width: text.length * LABEL_CHAR_WIDTH + 6, height: LABEL_HEIGHT, labelpos: 'c' };
    graph.setEdge({ v: edge.source, w: edge.target, name: edge.id }, room);
  }
  layout(graph);
  const nodes = view.nodes.map((id) => {
    const placed = graph.node(id);
    return { id, x: placed.x, y: placed.y };
  });
  const edges = view.edges.map((edge) => {
    const placed = graph.edge({ v: edge.source, w: edge.target, name: edge.id });
    const points = (placed.points ?? []).map((point: { x: number; y: number }) => ({ x: point.x, y: point.y }));
    return labels.has(edge.id) && typeof placed.x === 'number' ? { edge, points, label: { x: placed.x, y: placed.y as number } } : { edge, points };
  });
  const label = graph.graph();
  return { width: label.width ?? 0, height: label.height ?? 0, nodes, edges };
}
