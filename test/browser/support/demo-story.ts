import type { ApplicationId, ConsoleServer } from './console-server.ts';
import { ORCHESTRATOR_APP, PARTNER_APP } from './console-server.ts';

/**
 * The demo story as the console shows it (the shape of examples/demo): an orchestrator spawns a
 * worker and a planner; the worker spawns a researcher and a writer, and delegates to the partner
 * application's agent, which spawns a helper under that edge.
 *
 *   orchestrator ─e:worker→ worker ─e:researcher→ researcher
 *        │                    ├──e:writer→ writer
 *        └─e:planner→ planner └──e:partner (cross-application)→ partner ─e:helper→ helper
 */
export interface DemoStory {
  sessions: Record<'orchestrator' | 'worker' | 'researcher' | 'writer' | 'planner' | 'partner' | 'helper', string>;
  edges: Record<'worker' | 'researcher' | 'writer' | 'planner' | 'partner' | 'helper', string>;
}

interface Spawned { agent_session_id: string; delegation_edge_id: string | null }

/** A session of `application`, spawned by it (a child inherits its parent's authority). */
export async function spawnSession(server: ConsoleServer, application: ApplicationId, name: string, parentId?: string): Promise<Spawned> {
  const body = { ...(parentId === undefined ? {} : { parent_id: parentId, grant: 'inherit' }), labels: { name } };
  return server.api<Spawned>('POST', `/zones/${server.zoneId}/agents`, body, application);
}

/** An explicit edge from `sourceId` (a session of `issuer`) to `targetId`. */
export async function delegate(server: ConsoleServer, issuer: ApplicationId, sourceId: string, targetId: string): Promise<string> {
  const body = { source_session_id: sourceId, target_session_id: targetId, scopes: ['tools:call'] };
  const created = await server.api<{ delegation_edge_id: string }>('POST', `/zones/${server.zoneId}/delegations`, body, issuer);
  return created.delegation_edge_id;
}

const edgeOf = (spawned: Spawned): string => {
  if (spawned.delegation_edge_id === null) throw new Error(`${spawned.agent_session_id} inherited no edge`);
  return spawned.delegation_edge_id;
};

export async function seedDemoStory(server: ConsoleServer): Promise<DemoStory> {
  const orchestrator = await spawnSession(server, ORCHESTRATOR_APP, 'orchestrator');
  const worker = await spawnSession(server, ORCHESTRATOR_APP, 'worker', orchestrator.agent_session_id);
  const planner = await spawnSession(server, ORCHESTRATOR_APP, 'planner', orchestrator.agent_session_id);
  const researcher = await spawnSession(server, ORCHESTRATOR_APP, 'researcher', worker.agent_session_id);
  const writer = await spawnSession(server, ORCHESTRATOR_APP, 'writer', worker.agent_session_id);
  const partner = await spawnSession(server, PARTNER_APP, 'partner');
  const partnerEdge = await delegate(server, ORCHESTRATOR_APP, worker.agent_session_id, partner.agent_session_id);
  const helper = await spawnSession(server, PARTNER_APP, 'helper', partner.agent_session_id);
  return {
    sessions: {
      orchestrator: orchestrator.agent_session_id,
      worker: worker.agent_session_id,
      researcher: researcher.agent_session_id,
      writer: writer.agent_session_id,
      planner: planner.agent_session_id,
      partner: partner.agent_session_id,
      helper: helper.agent_session_id,
    },
    edges: {
      worker: edgeOf(worker),
      researcher: edgeOf(researcher),
      writer: edgeOf(writer),
      planner: edgeOf(planner),
      partner: partnerEdge,
      helper: edgeOf(helper),
    },
  };
}
