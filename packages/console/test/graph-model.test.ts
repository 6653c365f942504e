import { describe, expect, it } from 'vitest';
import { addEdge, addSession, edgeFromRow, emptyAuthority, sessionFromRow } from '../src/model/authority-state.ts';
import { layoutGraph } from '../src/model/graph-layout.ts';
import { ancestors, edgeLabel, graphView, pathEdgeIds } from '../src/model/graph-model.ts';
import { edgeRow, sessionRow } from './fixtures.ts';

const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(4, '0')}`;

/** A root delegating to `fanout` children, each delegating to `fanout` grandchildren, … */
function fanGraph(levels: number, fanout: number) {
  const state = emptyAuthority();
  let sessions = 0;
  let edges = 0;
  const grow = (parent: string, level: number) => {
    if (level === levels) return;
    for (let index = 0; index < fanout; index += 1) {
      const child = id('agentsess', ++sessions);
      addSession(state, sessionFromRow(sessionRow(child, parent)));
      addEdge(state, edgeFromRow(edgeRow(id('deledge', ++edges), parent, child)));
      grow(child, level + 1);
    }
  };
  const root = id('agentsess', 0);
  addSession(state, sessionFromRow(sessionRow(root, null)));
  grow(root, 0);
  return state;
}

describe('delegation graph model', () => {
  it('draws a small zone whole', () => {
    const state = fanGraph(2, 3);
    const view = graphView(state, { focus: null, collapsed: new Set(), path: new Set(), maxNodes: 80 });
    expect(view.nodes).toHaveLength(13);
    expect(view.edges).toHaveLength(12);
    expect(view.omitted).toBe(0);
  });

  it('keeps a large zone within the node budget, and focuses on a session: its chain up and its delegates down', () => {
    const state = fanGraph(4, 7); // 2,800 edges
    expect(state.edges.size).toBe(2800);
    const whole = graphView(state, { focus: null, collapsed: new Set(), path: new Set(), maxNodes: 80 });
    expect(whole.nodes.length).toBeLessThanOrEqual(80);
    expect(whole.omitted).toBeGreaterThan(2000);
    const leaf = id('agentsess', 4); // root → 1 → 2 → 3 → 4
    const focused = graphView(state, { focus: id('agentsess', 2), collapsed: new Set(), path: new Set(), maxNodes: 80 });
    expect(focused.nodes).toEqual(expect.arrayContaining([id('agentsess', 0), id('agentsess', 1), id('agentsess', 2), id('agentsess', 3), leaf]));
    expect(focused.nodes.length).toBeLessThanOrEqual(80);
    expect(ancestors(state, leaf)).toEqual([id('agentsess', 3), id('agentsess', 2), id('agentsess', 1), id('agentsess', 0)]);
  });

  it('folds a collapsed session and counts what it hides', () => {
    const state = fanGraph(2, 3);
    const first = id('agentsess', 1);
    const view = graphView(state, { focus: null, collapsed: new Set([first]), path: new Set(), maxNodes: 80 });
    expect(view.nodes).not.toContain(id('agentsess', 2));
    expect(view.hiddenOutbound.get(first)).toBe(3);
  });

  it('always draws the edges of a highlighted path, even outside the focus', () => {
    const state = fanGraph(3, 4);
    const far = [...state.edges.values()].at(-1)!;
    const view = graphView(state, { focus: id('agentsess', 1), collapsed: new Set(), path: new Set([far.id]), maxNodes: 10, depth: 1 });
    expect(view.edges.map((edge) => edge.id)).toContain(far.id);
  });

  it('reads a delegation_path and names edges starting with their id', () => {
    expect(pathEdgeIds({ delegation_path: ['deledge_1', 7, 'agentsess_x', 'deledge_2'] })).toEqual(['deledge_1', 'deledge_2']);
    expect(pathEdgeIds(null)).toEqual([]);
    const edge = edgeFromRow(edgeRow('deledge_9', 'agentsess_a', 'agentsess_b'));
    expect(edgeLabel(edge)).toMatch(/^deledge_9, active, from agentsess_a to agentsess_b, scopes tools:call, resource mcp:\/\/tools\.local/);
  });

  it('lays a focused part of 2,000+ edges out with a point list per edge', () => {
    const state = fanGraph(4, 7);
    const view = graphView(state, { focus: id('agentsess', 1), collapsed: new Set(), path: new Set(), maxNodes: 80 });
    const placed = layoutGraph(view);
    expect(placed.nodes).toHaveLength(view.nodes.length);
    expect(placed.edges.every((edge) => edge.points.length >= 2)).toBe(true);
    expect(placed.width).toBeGreaterThan(0);
  });
});
