import type { CreateDelegationBody, CreatedDelegation } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { Queryable } from '../../db/database.ts';
import { ServerError, badRequest, conflict, forbidden } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { acceptedScopes } from '../../sts/identity/resource-repository.ts';
import { applicationScopes, requireSession } from '../sessions/session-service.ts';
import { assertOwner, type ActionTarget } from '../shared/access.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import type { CreateResult } from '../shared/idempotency.ts';
import { idempotentCreate, type CreateRequest } from '../shared/idempotent-create.ts';
import { inZone } from '../shared/in-zone.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { checkApplications, requestedTerms } from './delegation-request.ts';
import { deriveParentEdge, derivedAuthority } from './derivation.ts';
import { insertDelegationEdge, lockDelegationGraph } from './create-edge-repository.ts';
import { findEdge } from './edge-repository.ts';
import { planEdge } from './edge-plan.ts';
import type { EdgeRow } from './edge-row.ts';
import { narrowAuthority, type EdgeTerms } from './narrow-authority.ts';
import { rolledBack } from '../sessions/dry-run.ts';
import { revokeDownstream, type RevocationCounts } from './revoke-edge-repository.ts';

/** Reads an edge of `zoneId`, or 404. */
export async function requireEdge(context: ServerContext, zoneId: string, id: string): Promise<EdgeRow> {
  return inZone(await findEdge(context.database, id), zoneId, `delegation edge ${id}`);
}

/** An edge is visible to the applications at either end (and to admins). */
export function assertEdgeVisible(principal: Principal, edge: EdgeRow): void {
  if (principal.admin || principal.clientId === edge.issuer_application_id || principal.clientId === edge.receiver_application_id) return;
  throw forbidden(`delegation edge ${edge.id} belongs to other applications`);
}

/**
 * Records a delegation edge (docs/decisions/2026-12-04-delegation-semantics.md): the source must be
 * the caller's, both
 * sessions active, the edge within the authority it derives from and within what its resource
 * accepts, and no cycle may form. Answers 201 with `delegation_edge_id` and the edge row.
 */
export async function createDelegation(
  context: ServerContext,
  request: CreateRequest<CreateDelegationBody>,
): Promise<CreateResult<CreatedDelegation>> {
  const { principal, zoneId, body } = request;
  if (body.source_session_id === body.target_session_id) {
    throw conflict('an edge from a session to itself is a cycle', 'cycle_detected');
  }
  const now = context.now();
  const requested = requestedTerms(body, now);
  return idempotentCreate(context, request, now, async (receiptFor) => {
    const [source, target] = await Promise.all([
      requireSession(context, zoneId, body.source_session_id),
      requireSession(context, zoneId, body.target_session_id),
    ]);
    assertOwner(principal, source.application_id, `source session ${source.id}`);
    checkApplications(body, source, target);
    for (const session of [source, target]) {
      if (session.status !== 'active') throw conflict(`agent session ${session.id} is ${session.status}`, 'session_not_active');
    }
    // Derivation and write retry together: the write refuses with concurrent_change when the
    // source's inbound edges changed since they were read.
    return retryingConcurrentChanges(async () => {
      const derivation = await deriveParentEdge(context.database, source, body.parent_edge_id, now);
      const ownScopes = principal.clientId === source.application_id ? applicationScopes(principal) : undefined;
      const terms = narrowAuthority(derivedAuthority(source, derivation, ownScopes), requested, now);
      await checkResource(context, zoneId, terms);
      const plan = planEdge({ zoneId, source, target, terms, now });
      const result = { statusCode: 201, body: plan.response };
      await insertDelegationEdge(context.database, {
        ...plan.record,
        inboundEdgesSeen: derivation.inboundEdgesSeen,
        receipt: receiptFor(result),
      });
      return result;
    });
  });
}

/** An edge's resource must be registered in the zone (with the STS), and accept the edge's scopes. */
async function checkResource(context: ServerContext, zoneId: string, terms: EdgeTerms): Promise<void> {
  if (terms.resourceId === null) return;
  const accepted = await acceptedScopes(context.database, zoneId, terms.resourceId);
  if (accepted === null) throw badRequest(`resource ${terms.resourceId} is not registered in zone ${zoneId}`);
  const refused = terms.scopes.filter((scope) => !accepted.includes(scope));
  if (refused.length > 0) {
    throw new ServerError(400, 'invalid_scope', `resource ${terms.resourceId} does not accept: ${refused.join(' ')}`);
  }
}

/**
 * Revokes an edge and everything downstream (docs/decisions/2026-12-04-revocation-model.md), in one
 * transaction: the zone lock (no
 * edge appears meanwhile), then one statement. Revoking an edge no longer active changes nothing.
 * `dryRun`: the same transaction, rolled back (docs/decisions/2026-12-05-dry-run-impact.md).
 */
export async function revokeDelegation(context: ServerContext, request: ActionTarget & { dryRun?: boolean }): Promise<RevocationCounts> {
  const { principal, zoneId, id: edgeId } = request;
  const revocation = async (transaction: Queryable): Promise<RevocationCounts> => {
    await lockDelegationGraph(transaction, zoneId);
    const edge = inZone(await findEdge(transaction, edgeId), zoneId, `delegation edge ${edgeId}`);
    assertOwner(principal, edge.issuer_application_id, `delegation edge ${edge.id}`);
    if (edge.status !== 'active') return { revokedEdges: 0, affectedSessions: 0, edgeIds: [], sessionIds: [] };
    return revokeDownstream(transaction, { edgeId, zoneId, now: context.now() });
  };
  if (request.dryRun === true) return retryingConcurrentChanges(() => rolledBack(context.database, revocation));
  const counts = await retryingConcurrentChanges(() => context.database.transaction(revocation));
  if (counts.revokedEdges > 0) wakeOutboxPublishers(context.database);
  return counts;
}
