import type {
  AgentSession,
  CreatedDelegation,
  CreateDelegationBody,
  DelegationChainLink,
  DelegationEdge,
  ListDelegationsQuery,
  ResumeResult,
  RevokeDelegationResult,
  SpawnedSession,
  SpawnSessionBody,
  SuspendResult,
  TerminateResult,
  UncheckedBody,
} from '@caracal/protocol';
import type { CoordinatorSettings } from '../settings/coordinator-settings.ts';
import { collectPages, PAGE_LIMIT } from './collect-pages.ts';
import { requestJson } from './request-json.ts';
import { expectObject, expectPage } from './response-shape.ts';

/** The edges of one session: those it delegated (source) or received (target). */
export type EdgeFilter = Required<Pick<ListDelegationsQuery, 'source_session_id'>> | Required<Pick<ListDelegationsQuery, 'target_session_id'>>;

/** The Coordinator routes that the operator commands and the demo use. */
export interface CoordinatorClient {
  listAgents(): Promise<Array<UncheckedBody<AgentSession>>>;
  getAgent(sessionId: string): Promise<UncheckedBody<AgentSession>>;
  listChildren(sessionId: string): Promise<Array<UncheckedBody<AgentSession>>>;
  suspendAgent(sessionId: string): Promise<UncheckedBody<SuspendResult>>;
  resumeAgent(sessionId: string): Promise<UncheckedBody<ResumeResult>>;
  terminateAgent(sessionId: string): Promise<UncheckedBody<TerminateResult>>;
  spawnAgent(body: SpawnSessionBody): Promise<UncheckedBody<SpawnedSession>>;
  listDelegations(filter: EdgeFilter): Promise<Array<UncheckedBody<DelegationEdge>>>;
  traverseDelegation(edgeId: string): Promise<Array<UncheckedBody<DelegationChainLink>>>;
  createDelegation(body: CreateDelegationBody): Promise<UncheckedBody<CreatedDelegation>>;
  revokeDelegation(edgeId: string): Promise<RevokeDelegationResult>;
}

export function createCoordinatorClient(settings: CoordinatorSettings): CoordinatorClient {
  const zone = `${settings.url}/zones/${encodeURIComponent(settings.zoneId)}`;
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> =>
    requestJson({ method, url: zone + path, token: settings.token, ...(body === undefined ? {} : { body }) });
  const list = <Item>(path: string, query: Record<string, string>, what: string): Promise<Array<UncheckedBody<Item>>> =>
    collectPages(async (cursor) => {
      const search = new URLSearchParams({ ...query, limit: String(PAGE_LIMIT), ...(cursor === undefined ? {} : { cursor }) });
      return expectPage<Item>(await call('GET', `${path}?${search.toString()}`), what);
    }, what);
  // Action routes validate their body as a JSON object, so an empty one is sent rather than none.
  const action = (method: 'POST' | 'DELETE', path: string): Promise<unknown> => call(method, path, {});
  const agent = (id: string): string => `/agents/${encodeURIComponent(id)}`;
  const edge = (id: string): string => `/delegations/${encodeURIComponent(id)}`;

  return {
    listAgents: () => list<AgentSession>('/agents', {}, 'list agent sessions'),
    getAgent: async (id) => expectObject<AgentSession>(await call('GET', agent(id)), 'get agent session'),
    listChildren: (id) => list<AgentSession>(`${agent(id)}/children`, {}, 'list child sessions'),
    suspendAgent: async (id) => expectObject<SuspendResult>(await action('POST', `${agent(id)}/suspend`), 'suspend agent session'),
    resumeAgent: async (id) => expectObject<ResumeResult>(await action('POST', `${agent(id)}/resume`), 'resume agent session'),
    terminateAgent: async (id) => expectObject<TerminateResult>(await action('DELETE', agent(id)), 'terminate agent session'),
    spawnAgent: async (body) => expectObject<SpawnedSession>(await call('POST', '/agents', body), 'spawn agent session'),
    listDelegations: (filter) => list<DelegationEdge>('/delegations', filter, 'list delegation edges'),
    traverseDelegation: (id) => list<DelegationChainLink>(`${edge(id)}/traverse`, {}, 'traverse delegation edge'),
    createDelegation: async (body) => expectObject<CreatedDelegation>(await call('POST', '/delegations', body), 'create delegation edge'),
    // The counts are printed as numbers, so the whole answer is held to its schema. The schema
    // checker is loaded here, not at start-up: compiling typebox costs every command ~100 ms.
    revokeDelegation: async (id) => {
      const answer = await action('POST', `${edge(id)}/revoke`);
      const { expectRevokeAnswer } = await import('./checked-body.ts');
      return expectRevokeAnswer(answer);
    },
  };
}
