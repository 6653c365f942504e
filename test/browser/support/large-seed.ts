import type { ApplicationId, ConsoleServer } from './console-server.ts';
import { ORCHESTRATOR_APP, PARTNER_APP } from './console-server.ts';
import { delegate, spawnSession } from './demo-story.ts';

/** The page the console must stay usable with: 500 sessions and 2,000 delegation edges. */
export const LARGE_SESSIONS = 500;
export const LARGE_EDGES = 2_000;

const ROOTS = 5;
const CHILDREN = 9; // per root
const GRANDCHILDREN = 10; // per child: 5 + 45 + 450 = 500 sessions, 495 of them holding a spawn edge

export interface LargeSeed {
  roots: string[];
  children: string[];
  grandchildren: string[];
  /** Every edge: the 495 spawn edges, then the explicit delegations from the roots. */
  edges: string[];
}

/** Runs `work` over `items`, `concurrency` at a time (the API seeds in parallel, not in one loop). */
async function eachLimited<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = Array.from({ length: items.length });
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!, index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * Seeds 500 sessions (5 roots × 9 children × 10 grandchildren) and 2,000 edges (495 inherited
 * by spawns, 1,505 explicit delegations from the roots) through the API, 32 requests at a time.
 * The server's CPU bounds it (about 20 s on the embedded database, 10 s on Postgres, on a loaded
 * 2-core machine); more requests in flight do not help.
 */
export async function seedLarge(server: ConsoleServer, concurrency = 32): Promise<LargeSeed> {
  const application = (index: number): ApplicationId => (index % 2 === 0 ? ORCHESTRATOR_APP : PARTNER_APP);
  const roots = await eachLimited(Array.from({ length: ROOTS }, (_, i) => i), concurrency, (i) => spawnSession(server, application(i), `root-${i}`));
  const childSpecs = roots.flatMap((root, r) => Array.from({ length: CHILDREN }, (_, c) => ({ parent: root, name: `child-${r}-${c}`, app: application(r) })));
  const children = await eachLimited(childSpecs, concurrency, (spec) => spawnSession(server, spec.app, spec.name, spec.parent.agent_session_id));
  const grandSpecs = children.flatMap((child, c) =>
    Array.from({ length: GRANDCHILDREN }, (_, g) => ({ parent: child, name: `leaf-${c}-${g}`, app: childSpecs[c]!.app })),
  );
  const grandchildren = await eachLimited(grandSpecs, concurrency, (spec) => spawnSession(server, spec.app, spec.name, spec.parent.agent_session_id));
  const nonRoots = [...children, ...grandchildren];
  const spawnEdges = nonRoots.map((session) => session.delegation_edge_id!);
  // Explicit edges only from roots: they hold no inbound edge, so later derivations never turn ambiguous.
  const explicit = Array.from({ length: LARGE_EDGES - spawnEdges.length }, (_, i) => ({
    source: Math.floor(i / nonRoots.length) % ROOTS,
    target: nonRoots[i % nonRoots.length]!.agent_session_id,
  }));
  const delegated = await eachLimited(explicit, concurrency, (edge) =>
    delegate(server, application(edge.source), roots[edge.source]!.agent_session_id, edge.target),
  );
  return {
    roots: roots.map((s) => s.agent_session_id),
    children: children.map((s) => s.agent_session_id),
    grandchildren: grandchildren.map((s) => s.agent_session_id),
    edges: [...spawnEdges, ...delegated],
  };
}
