import type { CoordinatorSettings } from '../settings/coordinator-settings.ts';
import { collectPages, PAGE_LIMIT } from './collect-pages.ts';
import { requestJson } from './request-json.ts';
import { expectCount, expectObject, expectPage, type Row } from './response-shape.ts';

/** The Coordinator routes that the operator commands and the demo use. */
export interface CoordinatorClient {
  listAgents(): Promise<Row[]>;
  getAgent(sessionId: string): Promise<Row>;
  listChildren(sessionId: string): Promise<Row[]>;
  suspendAgent(sessionId: string): Promise<Row>;
  resumeAgent(sessionId: string): Promise<Row>;
  terminateAgent(sessionId: string): Promise<Row>;
  spawnAgent(body: Row): Promise<Row>;
  listDelegations(filter: { source_session_id: string } | { target_session_id: string }): Promise<Row[]>;
  traverseDelegation(edgeId: string): Promise<Row[]>;
  createDelegation(body: Row): Promise<Row>;
  revokeDelegation(edgeId: string): Promise<{ revoked_edges: number; affected_sessions: number }>;
}

export function createCoordinatorClient(settings: CoordinatorSettings): CoordinatorClient {
  const zone = `${settings.url}/zones/${encodeURIComponent(settings.zoneId)}`;
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> =>
    requestJson({ method, url: zone + path, token: settings.token, ...(body === undefined ? {} : { body }) });
  const list = (path: string, query: Record<string, string>, what: string): Promise<Row[]> =>
    collectPages(async (cursor) => {
      const search = new URLSearchParams({ ...query, limit: String(PAGE_LIMIT), ...(cursor === undefined ? {} : { cursor }) });
      return expectPage(await call('GET', `${path}?${search.toString()}`), what);
    }, what);
  // Action routes validate their body as a JSON object, so an empty one is sent rather than none.
  const action = (method: 'POST' | 'DELETE', path: string): Promise<unknown> => call(method, path, {});
  const agent = (id: string): string => `/agents/${encodeURIComponent(id)}`;
  const edge = (id: string): string => `/delegations/${encodeURIComponent(id)}`;

  return {
    listAgents: () => list('/agents', {}, 'list agent sessions'),
    getAgent: async (id) => expectObject(await call('GET', agent(id)), 'get agent session'),
    listChildren: (id) => list(`${agent(id)}/children`, {}, 'list child sessions'),
    suspendAgent: async (id) => expectObject(await action('POST', `${agent(id)}/suspend`), 'suspend agent session'),
    resumeAgent: async (id) => expectObject(await action('POST', `${agent(id)}/resume`), 'resume agent session'),
    terminateAgent: async (id) => expectObject(await action('DELETE', agent(id)), 'terminate agent session'),
    spawnAgent: async (body) => expectObject(await call('POST', '/agents', body), 'spawn agent session'),
    listDelegations: (filter) => list('/delegations', filter, 'list delegation edges'),
    traverseDelegation: (id) => list(`${edge(id)}/traverse`, {}, 'traverse delegation edge'),
    createDelegation: async (body) => expectObject(await call('POST', '/delegations', body), 'create delegation edge'),
    revokeDelegation: async (id) => {
      const body = expectObject(await action('POST', `${edge(id)}/revoke`), 'revoke delegation edge');
      return {
        revoked_edges: expectCount(body, 'revoked_edges', 'revoke delegation edge'),
        affected_sessions: expectCount(body, 'affected_sessions', 'revoke delegation edge'),
      };
    },
  };
}
