import type {
  CreateDelegationBody,
  CreatedDelegation,
  DelegationChainLink,
  DelegationEdge,
  EdgeStatus,
  RevokeDelegationResult,
  RevokeImpact,
} from '@caracal/protocol';
import { segment, type AdminTransport } from './admin-transport.ts';
import { everyItem, pageOf, type AdminPage } from './pages.ts';
import { dryRunQuery, type ActionAnswer, type DryRunOption } from './sessions.ts';

/** A delegation edge as the Coordinator lists and reads it. */
export type EdgeRow = DelegationEdge;

export interface EdgeFilters {
  status?: EdgeStatus | undefined;
  /** Page size (1–500). */
  limit?: number | undefined;
}

export interface AdminDelegations {
  /** Edges delegated to the session (it is their target). */
  inbound(sessionId: string, filters?: EdgeFilters): AsyncIterable<EdgeRow>;
  /** Edges the session delegated (it is their source). */
  outbound(sessionId: string, filters?: EdgeFilters): AsyncIterable<EdgeRow>;
  list(filters?: EdgeFilters): AsyncIterable<EdgeRow>;
  page(filters?: EdgeFilters & { sourceSessionId?: string; targetSessionId?: string; cursor?: string | undefined }): Promise<AdminPage<EdgeRow>>;
  get(id: string): Promise<EdgeRow>;
  /** The edge's chain, from its root to its leaves. */
  traverse(id: string): Promise<DelegationChainLink[]>;
  create(body: CreateDelegationBody): Promise<CreatedDelegation>;
  revoke<Options extends DryRunOption>(id: string, options?: Options): Promise<ActionAnswer<Options, RevokeDelegationResult, RevokeImpact>>;
}

export function adminDelegations(transport: AdminTransport, zonePath: () => Promise<string>): AdminDelegations {
  const delegations = async (suffix = '') => `${await zonePath()}/delegations${suffix}`;
  const page: AdminDelegations['page'] = async (filters = {}) =>
    pageOf<EdgeRow>(
      await transport.send<Record<string, unknown>>({
        method: 'GET',
        path: await delegations(),
        query: {
          status: filters.status,
          source_session_id: filters.sourceSessionId,
          target_session_id: filters.targetSessionId,
          limit: filters.limit,
          cursor: filters.cursor,
        },
      }),
      'items',
    );
  return {
    inbound: (sessionId, filters = {}) => everyItem((cursor) => page({ ...filters, targetSessionId: sessionId, cursor })),
    outbound: (sessionId, filters = {}) => everyItem((cursor) => page({ ...filters, sourceSessionId: sessionId, cursor })),
    list: (filters = {}) => everyItem((cursor) => page({ ...filters, cursor })),
    page,
    get: async (id) => transport.send<EdgeRow>({ method: 'GET', path: await delegations(`/${segment(id)}`) }),
    traverse: async (id) => (await transport.send<{ items: DelegationChainLink[] }>({ method: 'GET', path: await delegations(`/${segment(id)}/traverse`) })).items,
    create: async (body) => transport.send<CreatedDelegation>({ method: 'POST', path: await delegations(), body }),
    revoke: async (id, options) =>
      transport.send<never>({ method: 'POST', path: await delegations(`/${segment(id)}/revoke`), query: dryRunQuery(options), body: {} }),
  };
}
