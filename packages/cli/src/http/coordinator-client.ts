import type {
  AgentSession,
  CreatedDelegation,
  CreateDelegationBody,
  DelegationChainLink,
  DelegationEdge,
  ListDelegationsQuery,
  ResumeResult,
  RevokeDelegationResult,
  RevokeImpact,
  SessionStatus,
  SpawnedSession,
  SpawnSessionBody,
  SuspendResult,
  TerminateResult,
  UncheckedBody,
} from '@caracal/protocol';
import { collect, type SessionTree } from '@caracal/sdk/admin';
import type { CoordinatorSettings } from '../settings/coordinator-settings.ts';
import { adminCall, adminClientFor } from './admin-calls.ts';
import { PAGE_LIMIT } from './collect-pages.ts';

/** The edges of one session: those it delegated (source) or received (target). */
export type EdgeFilter = Required<Pick<ListDelegationsQuery, 'source_session_id'>> | Required<Pick<ListDelegationsQuery, 'target_session_id'>>;

/** Filters of `caracal agent list`. */
export interface AgentFilter {
  status?: SessionStatus | undefined;
  applicationId?: string | undefined;
}

/** The Coordinator routes that the operator commands and the demo use, through `@caracal/sdk/admin`. */
export interface CoordinatorClient {
  listAgents(filter?: AgentFilter): Promise<Array<UncheckedBody<AgentSession>>>;
  getAgent(sessionId: string): Promise<UncheckedBody<AgentSession>>;
  listChildren(sessionId: string): Promise<Array<UncheckedBody<AgentSession>>>;
  /** The descendants `depth` levels down, in tree order (each session before its own descendants). */
  listDescendants(sessionId: string, depth: number): Promise<Array<UncheckedBody<AgentSession>>>;
  suspendAgent(sessionId: string): Promise<UncheckedBody<SuspendResult>>;
  resumeAgent(sessionId: string): Promise<UncheckedBody<ResumeResult>>;
  terminateAgent(sessionId: string): Promise<UncheckedBody<TerminateResult>>;
  spawnAgent(body: SpawnSessionBody): Promise<UncheckedBody<SpawnedSession>>;
  listDelegations(filter: EdgeFilter): Promise<Array<UncheckedBody<DelegationEdge>>>;
  traverseDelegation(edgeId: string): Promise<Array<UncheckedBody<DelegationChainLink>>>;
  createDelegation(body: CreateDelegationBody): Promise<UncheckedBody<CreatedDelegation>>;
  revokeDelegation(edgeId: string): Promise<RevokeDelegationResult>;
  /** What a revoke would change (`?dry_run=true`), changing nothing. */
  revokeImpact(edgeId: string): Promise<RevokeImpact>;
}

export function createCoordinatorClient(settings: CoordinatorSettings): CoordinatorClient {
  const admin = adminClientFor(settings);
  const call = <T>(work: () => Promise<T>) => adminCall(settings, work);
  const checkedRevoke = async (answer: unknown) => {
    // The counts are printed as numbers, so the whole answer is held to its schema. The schema
    // checker is loaded here, not at start-up: compiling typebox costs every command ~100 ms.
    const { expectRevokeAnswer } = await import('./checked-body.ts');
    return expectRevokeAnswer(answer);
  };
  return {
    listAgents: (filter = {}) =>
      call(() => collect(admin.sessions.list({ status: filter.status, applicationId: filter.applicationId, limit: PAGE_LIMIT }))),
    getAgent: (id) => call(() => admin.sessions.get(id)),
    listChildren: (id) => call(() => collect(admin.sessions.children(id, { limit: PAGE_LIMIT }))),
    listDescendants: async (id, depth) => {
      const tree = await call(() => admin.sessions.tree(id, { depth }));
      const rows: AgentSession[] = [];
      const walk = (node: SessionTree) => {
        for (const child of node.children) {
          rows.push(child.session);
          walk(child);
        }
      };
      walk(tree);
      return rows;
    },
    suspendAgent: (id) => call(() => admin.sessions.suspend(id)),
    resumeAgent: (id) => call(() => admin.sessions.resume(id)),
    terminateAgent: (id) => call(() => admin.sessions.terminate(id)),
    spawnAgent: (body) => call(() => admin.sessions.spawn(body)),
    listDelegations: (filter) =>
      call(() =>
        collect(
          'source_session_id' in filter
            ? admin.delegations.outbound(filter.source_session_id, { limit: PAGE_LIMIT })
            : admin.delegations.inbound(filter.target_session_id, { limit: PAGE_LIMIT }),
        ),
      ),
    traverseDelegation: (id) => call(() => admin.delegations.traverse(id)),
    createDelegation: (body) => call(() => admin.delegations.create(body)),
    revokeDelegation: async (id) => checkedRevoke(await call(() => admin.delegations.revoke(id))),
    revokeImpact: async (id) => {
      const answer = await call(() => admin.delegations.revoke(id, { dryRun: true }));
      const { expectBody } = await import('./checked-body.ts');
      const { RevokeImpact } = await import('@caracal/protocol');
      return expectBody(RevokeImpact, answer, 'revoke delegation edge (dry run)');
    },
  };
}
