/** Number of edges that lie on a directed cycle (0 for a forest of chains). */
export function findCycles(edges: Array<{ source: string; target: string }>): number {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  const state = new Map<string, 'open' | 'done'>();
  let onCycle = 0;
  const visit = (node: string): void => {
    state.set(node, 'open');
    for (const target of next.get(node) ?? []) {
      const seen = state.get(target);
      if (seen === 'open') onCycle += 1;
      else if (seen === undefined) visit(target);
    }
    state.set(node, 'done');
  };
  for (const node of next.keys()) if (!state.has(node)) visit(node);
  return onCycle;
}
