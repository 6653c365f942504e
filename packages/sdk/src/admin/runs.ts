import type { BlueprintStatus, CreateBlueprintBody, CreatedRun, CreateRunBody, Blueprint, BrokenBlueprint, Run, Runner, RunState, UpdateBlueprintBody } from '@caracal/protocol';
import { segment, type AdminTransport } from './admin-transport.ts';
import { everyItem, pageOf } from './pages.ts';

export interface RunFilters {
  status?: RunState | undefined;
  sessionId?: string | undefined;
  agentName?: string | undefined;
  runnerId?: string | undefined;
  limit?: number | undefined;
}

/** Runs (`/runs`): the zone is the mandate's. */
export interface AdminRuns {
  list(filters?: RunFilters): AsyncIterable<Run>;
  get(id: string): Promise<Run>;
  create(body: CreateRunBody): Promise<CreatedRun>;
  stop(id: string): Promise<Run>;
}

export interface AdminRunners {
  list(): Promise<Runner[]>;
  remove(id: string): Promise<void>;
}

/** `GET /agents`: the readable blueprints, and the directories that could not be read. */
export interface BlueprintListing {
  agents: Blueprint[];
  broken: BrokenBlueprint[];
}

/** Blueprints (`/agents…`): any application reads; writes need an operator mandate. */
export interface AdminBlueprints {
  list(options?: { tags?: readonly string[] | undefined }): Promise<BlueprintListing>;
  get(name: string): Promise<Blueprint>;
  create(body: CreateBlueprintBody): Promise<Blueprint>;
  update(name: string, body: UpdateBlueprintBody): Promise<Blueprint>;
  setStatus(name: string, status: BlueprintStatus): Promise<Blueprint>;
  remove(name: string): Promise<void>;
}

export function adminRuns(transport: AdminTransport): AdminRuns {
  return {
    list: (filters = {}) =>
      everyItem(async (cursor) =>
        pageOf<Run>(
          await transport.send<Record<string, unknown>>({
            method: 'GET',
            path: '/runs',
            query: {
              status: filters.status,
              session_id: filters.sessionId,
              agent_name: filters.agentName,
              runner_id: filters.runnerId,
              limit: filters.limit,
              cursor,
            },
          }),
          'runs',
        ),
      ),
    get: async (id) => (await transport.send<{ run: Run }>({ method: 'GET', path: `/runs/${segment(id)}` })).run,
    create: (body) => transport.send<CreatedRun>({ method: 'POST', path: '/runs', body }),
    stop: async (id) => (await transport.send<{ run: Run }>({ method: 'POST', path: `/runs/${segment(id)}/stop`, body: {} })).run,
  };
}

export function adminRunners(transport: AdminTransport): AdminRunners {
  return {
    list: async () => (await transport.send<{ runners: Runner[] }>({ method: 'GET', path: '/runners' })).runners,
    remove: async (id) => {
      await transport.send({ method: 'DELETE', path: `/runners/${segment(id)}`, body: {} });
    },
  };
}

export function adminBlueprints(transport: AdminTransport): AdminBlueprints {
  const agent = (name: string) => `/agents/${segment(name)}`;
  return {
    list: async (options = {}) => {
      const tags = options.tags ?? [];
      const answer = await transport.send<Partial<BlueprintListing>>({ method: 'GET', path: '/agents', query: { tags: tags.length === 0 ? undefined : tags.join(',') } });
      return { agents: answer.agents ?? [], broken: answer.broken ?? [] };
    },
    get: (name) => transport.send<Blueprint>({ method: 'GET', path: agent(name) }),
    create: (body) => transport.send<Blueprint>({ method: 'POST', path: '/agents', body }),
    update: (name, body) => transport.send<Blueprint>({ method: 'PATCH', path: agent(name), body }),
    setStatus: (name, status) => transport.send<Blueprint>({ method: 'PATCH', path: `${agent(name)}/status`, body: { status } }),
    remove: async (name) => {
      await transport.send({ method: 'DELETE', path: agent(name) });
    },
  };
}
