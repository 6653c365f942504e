import type { AuthorityState, SessionView } from './authority-state.ts';

/** One line of the flattened, virtualised tree. */
export interface TreeRow {
  session: SessionView;
  /** 1 for a root (aria-level). */
  level: number;
  hasChildren: boolean;
  expanded: boolean;
}

/** Sessions without a known parent: the zone's roots, and children whose parent is out of view. */
export function treeRoots(state: AuthorityState): string[] {
  const roots: string[] = [];
  for (const session of state.sessions.values()) {
    if (session.parentId === null || !state.sessions.has(session.parentId)) roots.push(session.id);
  }
  return roots.sort();
}

/**
 * The rows a tree shows, depth first, skipping the subtrees of collapsed sessions. Iterative, so a
 * 32-deep chain or 500 siblings cost the same as anything else.
 */
export function visibleTreeRows(state: AuthorityState, collapsed: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const stack: Array<{ id: string; level: number }> = treeRoots(state)
    .reverse()
    .map((id) => ({ id, level: 1 }));
  while (stack.length > 0) {
    const { id, level } = stack.pop()!;
    const session = state.sessions.get(id);
    if (session === undefined) continue;
    const children = state.children.get(id) ?? [];
    const expanded = !collapsed.has(id);
    rows.push({ session, level, hasChildren: children.length > 0, expanded });
    if (!expanded) continue;
    for (let index = children.length - 1; index >= 0; index -= 1) stack.push({ id: children[index]!, level: level + 1 });
  }
  return rows;
}

/** The visible parts of a tree item, in order; its accessible name is their text joined by spaces. */
export function treeItemParts(session: SessionView): Array<{ kind: string; text: string }> {
  const parts = [
    { kind: 'id', text: session.id },
    ...(session.label === null ? [] : [{ kind: 'label', text: session.label }]),
    { kind: 'status', text: statusText(session.status) },
    { kind: 'application', text: session.applicationId },
    { kind: 'depth', text: `depth ${session.depth}` },
    { kind: 'kind', text: session.kind },
  ];
  if (session.blueprint !== null) parts.push({ kind: 'blueprint', text: `blueprint ${session.blueprint}` });
  return parts.filter((part) => part.text !== '');
}

/** The accessible name of a tree item: it starts with the session id (the browser tests select by it). */
export function treeItemLabel(session: SessionView): string {
  return treeItemParts(session)
    .map((part) => part.text)
    .join(' ');
}

export function statusText(status: SessionView['status']): string {
  return status === 'active' ? 'running' : status;
}

/** Every session of the subtree of `id` (itself included), for counts and focus. */
export function subtreeIds(state: AuthorityState, id: string): string[] {
  const ids: string[] = [];
  const stack = [id];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (!state.sessions.has(next)) continue;
    ids.push(next);
    for (const child of state.children.get(next) ?? []) stack.push(child);
  }
  return ids;
}
