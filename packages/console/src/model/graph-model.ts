import type { AuthorityState, EdgeView } from './authority-state.ts';

export interface GraphSelection {
  /** The session the graph centres on: its ancestors' edges and its descendants. */
  focus: string | null;
  /** Sessions whose outbound edges are folded away. */
  collapsed: ReadonlySet<string>;
  /** Edge ids of a mandate's `delegation_path`: always shown, highlighted. */
  path: ReadonlySet<string>;
  /** Most sessions drawn at once (layout and reading both suffer beyond). */
  maxNodes: number;
  /** How many hops below the focus are drawn. */
  depth?: number;
}

export interface GraphView {
  nodes: string[];
  edges: EdgeView[];
  /** Sessions left out because of the node budget. */
  omitted: number;
  /** For a collapsed (or cut-off) node: how many edges leave it unseen. */
  hiddenOutbound: Map<string, number>;
}

/**
 * Chooses the part of the delegation graph to draw. A small zone is drawn whole; a large one from
 * its roots, or around the focused session (its chain up to the root and its descendants a few
 * hops down), so 2,000 edges never land on one canvas.
 */
export function graphView(state: AuthorityState, selection: GraphSelection): GraphView {
  const participants = graphSessions(state);
  const nodes = new Set<string>();
  const budget = selection.maxNodes;
  let seeds: string[];
  if (selection.focus !== null) {
    seeds = [selection.focus];
    for (const id of ancestors(state, selection.focus)) nodes.add(id);
  } else {
    // Every edge's source takes part, so the roots are the sessions no edge points to.
    seeds = participants.filter((id) => (state.inbound.get(id) ?? []).length === 0);
  }
  const maxDepth = selection.focus === null && participants.length <= budget ? Number.POSITIVE_INFINITY : (selection.depth ?? 2);
  const hiddenOutbound = new Map<string, number>();
  const frontier = seeds.map((id) => ({ id, hops: 0 }));
  for (const seed of seeds) if (nodes.size < budget) nodes.add(seed);
  while (frontier.length > 0) {
    const { id, hops } = frontier.shift()!;
    const outbound = state.outbound.get(id) ?? [];
    if (selection.collapsed.has(id) || hops >= maxDepth) {
      const unseen = outbound.filter((edgeId) => !nodes.has(state.edges.get(edgeId)?.target ?? '')).length;
      if (unseen > 0) hiddenOutbound.set(id, unseen);
      continue;
    }
    for (const edgeId of outbound) {
      const target = state.edges.get(edgeId)?.target;
      if (target === undefined || nodes.has(target)) continue;
      if (nodes.size >= budget) {
        hiddenOutbound.set(id, (hiddenOutbound.get(id) ?? 0) + 1);
        continue;
      }
      nodes.add(target);
      frontier.push({ id: target, hops: hops + 1 });
    }
  }
  for (const edgeId of selection.path) {
    const edge = state.edges.get(edgeId);
    if (edge === undefined) continue;
    nodes.add(edge.source);
    nodes.add(edge.target);
  }
  const edges: EdgeView[] = [];
  for (const edge of state.edges.values()) {
    if (nodes.has(edge.source) && nodes.has(edge.target)) edges.push(edge);
  }
  return { nodes: [...nodes], edges, omitted: Math.max(0, participants.length - nodes.size), hiddenOutbound };
}

/** Sessions that take part in at least one edge (a session without edges has no place in the graph). */
export function graphSessions(state: AuthorityState): string[] {
  const ids = new Set<string>();
  for (const edge of state.edges.values()) {
    ids.add(edge.source);
    ids.add(edge.target);
  }
  return [...ids].sort();
}

/** Sessions above `id` through inbound edges, nearest first. */
export function ancestors(state: AuthorityState, id: string): string[] {
  const seen = new Set<string>([id]);
  const order: string[] = [];
  const queue = [id];
  while (queue.length > 0) {
    const next = queue.shift()!;
    for (const edgeId of state.inbound.get(next) ?? []) {
      const source = state.edges.get(edgeId)?.source;
      if (source === undefined || seen.has(source)) continue;
      seen.add(source);
      order.push(source);
      queue.push(source);
    }
  }
  return order;
}

/** The accessible name of an edge: starts with its id (the browser tests select by it). */
export function edgeLabel(edge: EdgeView): string {
  const parts = [edge.id, edge.status, `from ${edge.source} to ${edge.target}`, `scopes ${edge.scopes.join(' ') || 'none'}`];
  if (edge.resourceId !== null) parts.push(`resource ${edge.resourceId}`);
  if (edge.expiresAt !== null) parts.push(`expires ${edge.expiresAt}`);
  return parts.join(', ');
}

/** A mandate's `delegation_path` as edge ids (anything else in it is ignored). */
export function pathEdgeIds(details: Record<string, unknown> | null | undefined): string[] {
  const path = details?.['delegation_path'];
  if (!Array.isArray(path)) return [];
  return path.filter((id): id is string => typeof id === 'string' && id.startsWith('deledge_'));
}
