import type { AgentSession, SessionStatus, SpawnedSession, SpawnSessionBody } from '@caracal/protocol';
import type { ResumeImpact, ResumeResult, SuspendImpact, SuspendResult, TerminateImpact, TerminateResult } from '@caracal/protocol';
import { segment, type AdminTransport } from './admin-transport.ts';
import { everyItem, pageOf, type AdminPage } from './pages.ts';

/** A session as the Coordinator lists and reads it. */
export type SessionRow = AgentSession;

export interface SessionFilters {
  status?: SessionStatus | undefined;
  applicationId?: string | undefined;
  parentId?: string | undefined;
  /** Page size (1–500). */
  limit?: number | undefined;
}

/** A session and its descendants, as far as `depth` reached. */
export interface SessionTree {
  session: SessionRow;
  children: SessionTree[];
}

/** `{ dryRun: true }`: answer what the action would change, and change nothing. */
export interface DryRunOption {
  dryRun?: boolean | undefined;
}

/** An action's answer: the impact on a dry run, else the counts. */
export type ActionAnswer<Options, Result, Impact> = Options extends { dryRun: true } ? Impact : Result;

export interface AdminSessions {
  /** Every session of the zone (that the mandate sees), over every page. */
  list(filters?: SessionFilters): AsyncIterable<SessionRow>;
  page(filters?: SessionFilters & { cursor?: string | undefined }): Promise<AdminPage<SessionRow>>;
  get(id: string): Promise<SessionRow>;
  children(id: string, filters?: Pick<SessionFilters, 'status' | 'limit'>): AsyncIterable<SessionRow>;
  /** The session and its descendants, `depth` levels down (all of them when absent). */
  tree(id: string, options?: { depth?: number | undefined }): Promise<SessionTree>;
  spawn(body?: SpawnSessionBody): Promise<SpawnedSession>;
  suspend<Options extends DryRunOption>(id: string, options?: Options): Promise<ActionAnswer<Options, SuspendResult, SuspendImpact>>;
  resume<Options extends DryRunOption>(id: string, options?: Options): Promise<ActionAnswer<Options, ResumeResult, ResumeImpact>>;
  terminate<Options extends DryRunOption>(id: string, options?: Options): Promise<ActionAnswer<Options, TerminateResult, TerminateImpact>>;
}

/** `?dry_run=true` when asked; nothing otherwise. */
export function dryRunQuery(options: DryRunOption | undefined): { dry_run?: 'true' } {
  return options?.dryRun === true ? { dry_run: 'true' } : {};
}

export function adminSessions(transport: AdminTransport, zonePath: () => Promise<string>): AdminSessions {
  const agents = async (suffix = '') => `${await zonePath()}/agents${suffix}`;
  const page = async (path: string, query: Record<string, string | number | undefined>): Promise<AdminPage<SessionRow>> =>
    pageOf<SessionRow>(await transport.send<Record<string, unknown>>({ method: 'GET', path, query }), 'items');
  const listPage = async (filters: SessionFilters & { cursor?: string | undefined } = {}) =>
    page(await agents(), {
      status: filters.status,
      application_id: filters.applicationId,
      parent_id: filters.parentId,
      limit: filters.limit,
      cursor: filters.cursor,
    });
  const children = (id: string, filters: Pick<SessionFilters, 'status' | 'limit'> = {}) =>
    everyItem(async (cursor) => page(await agents(`/${segment(id)}/children`), { status: filters.status, limit: filters.limit, cursor }));
  const get = async (id: string) => transport.send<SessionRow>({ method: 'GET', path: await agents(`/${segment(id)}`) });
  const action = async (method: 'POST' | 'DELETE', suffix: string, options: DryRunOption | undefined) =>
    transport.send<never>({ method, path: await agents(suffix), query: dryRunQuery(options), body: {} });

  async function subtree(session: SessionRow, depth: number): Promise<SessionTree> {
    if (depth <= 0) return { session, children: [] };
    const below: SessionTree[] = [];
    for await (const child of children(session.id, { limit: 500 })) below.push(await subtree(child, depth - 1));
    return { session, children: below };
  }

  return {
    list: (filters = {}) => everyItem((cursor) => listPage({ ...filters, cursor })),
    page: listPage,
    get,
    children,
    tree: async (id, options = {}) => subtree(await get(id), options.depth ?? Number.POSITIVE_INFINITY),
    spawn: async (body = {}) => transport.send<SpawnedSession>({ method: 'POST', path: await agents(), body }),
    suspend: (id, options) => action('POST', `/${segment(id)}/suspend`, options),
    resume: (id, options) => action('POST', `/${segment(id)}/resume`, options),
    terminate: (id, options) => action('DELETE', `/${segment(id)}`, options),
  };
}
