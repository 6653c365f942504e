import { APPLICATION, APPLICATION_SECRET, postJson, SCOPE, ZONE, type RealServer } from './real-server.ts';

/**
 * A small agent tree made the way agents make it (a client-credentials session mandate, then
 * `POST /zones/{zone}/agents` with `parent_id`): root → child → grandchild, root → sibling.
 * Spawning a child records the inherited delegation edge parent → child.
 */
export interface AgentGraph {
  root: string;
  child: string;
  grandchild: string;
  sibling: string;
  /** The inherited edges, by target: `edges.child` is root → child. */
  edges: { child: string; grandchild: string; sibling: string };
}

export async function sessionMandate(server: RealServer): Promise<string> {
  const response = await fetch(`${server.url}/oauth/2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: APPLICATION, client_secret: APPLICATION_SECRET, scope: SCOPE }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || body.access_token === undefined) throw new Error(`client credentials grant failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function spawnGraph(server: RealServer): Promise<AgentGraph> {
  const mandate = await sessionMandate(server);
  const spawn = async (parentId?: string): Promise<{ id: string; edge: string }> => {
    const created = await postJson(`${server.url}/zones/${ZONE}/agents`, mandate, parentId === undefined ? {} : { parent_id: parentId });
    return { id: String(created.agent_session_id), edge: String(created.delegation_edge_id) };
  };
  const root = await spawn();
  const child = await spawn(root.id);
  const grandchild = await spawn(child.id);
  const sibling = await spawn(root.id);
  return {
    root: root.id,
    child: child.id,
    grandchild: grandchild.id,
    sibling: sibling.id,
    edges: { child: child.edge, grandchild: grandchild.edge, sibling: sibling.edge },
  };
}
