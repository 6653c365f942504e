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
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const NODE_WIDTH = 270;
export const NODE_HEIGHT = 34;

/**
 * Lays the chosen part of the graph out left to right with dagre (layered, few crossings): a wide
 * fan-out then grows downwards, the direction a page scrolls.
 */
export function layoutGraph(view: GraphView): GraphLayout {
  const graph = new Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 90, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of view.nodes) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of view.edges) graph.setEdge({ v: edge.source, w: edge.target, name: edge.id }, {});
  layout(graph);
  const nodes = view.nodes.map((id) => {
    const placed = graph.node(id);
    return { id, x: placed.x, y: placed.y };
  });
  const edges = view.edges.map((edge) => ({
    edge,
    points: (graph.edge({ v: edge.source, w: edge.target, name: edge.id }).points ?? []).map((point: { x: number; y: number }) => ({ x: point.x, y: point.y })),
  }));
  const label = graph.graph();
  return { width: label.width ?? 0, height: label.height ?? 0, nodes, edges };
}
