import type { Blueprint, BlueprintStatus, BrokenBlueprint, CreateBlueprintBody, UncheckedBody } from '@caracal/protocol';
import type { CoordinatorSettings } from '../settings/coordinator-settings.ts';
import { requestJson } from './request-json.ts';
import { expectObject } from './response-shape.ts';

/** `GET /agents` as the CLI reads it: the readable blueprints and the broken directories. */
export interface BlueprintListing {
  agents: Array<UncheckedBody<Blueprint>>;
  broken: Array<UncheckedBody<BrokenBlueprint>>;
}

/** The blueprint routes (`/agents…`); they act in the token's zone, so no zone is in the path. */
export interface BlueprintClient {
  list(tags: readonly string[]): Promise<BlueprintListing>;
  get(name: string): Promise<UncheckedBody<Blueprint>>;
  create(body: CreateBlueprintBody): Promise<UncheckedBody<Blueprint>>;
  setStatus(name: string, status: BlueprintStatus): Promise<UncheckedBody<Blueprint>>;
  remove(name: string): Promise<void>;
}

export function createBlueprintClient(settings: Pick<CoordinatorSettings, 'url' | 'token'>): BlueprintClient {
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<unknown> =>
    requestJson({ method, url: settings.url + path, token: settings.token, ...(body === undefined ? {} : { body }) });
  const agent = (name: string): string => `/agents/${encodeURIComponent(name)}`;
  return {
    list: async (tags) => {
      const query = tags.length === 0 ? '' : `?${new URLSearchParams({ tags: tags.join(',') }).toString()}`;
      const answer = expectObject<{ agents: unknown; broken: unknown }>(await call('GET', `/agents${query}`), 'list blueprints');
      return {
        agents: Array.isArray(answer.agents) ? (answer.agents as BlueprintListing['agents']) : [],
        broken: Array.isArray(answer.broken) ? (answer.broken as BlueprintListing['broken']) : [],
      };
    },
    get: async (name) => expectObject<Blueprint>(await call('GET', agent(name)), 'get blueprint'),
    create: async (body) => expectObject<Blueprint>(await call('POST', '/agents', body), 'create blueprint'),
    setStatus: async (name, status) => expectObject<Blueprint>(await call('PATCH', `${agent(name)}/status`, { status }), 'change blueprint status'),
    remove: async (name) => {
      await call('DELETE', agent(name));
    },
  };
}
