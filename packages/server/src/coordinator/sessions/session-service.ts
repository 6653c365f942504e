import type { SpawnedSession, SpawnSessionBody } from '@caracal/protocol';
import { ADMIN_SCOPE, LIFECYCLE_SCOPE, type Principal } from '../../auth/principal.ts';
import { ServerError, badRequest, conflict } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { serverMetrics } from '../../server-metrics.ts';
import type { Authority } from '../delegations/authority.ts';
import { deriveParentEdge, derivedAuthority } from '../delegations/derivation.ts';
import { actingApplication, assertOwner } from '../shared/access.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import type { CreateResult } from '../shared/idempotency.ts';
import { idempotentCreate, type CreateRequest } from '../shared/idempotent-create.ts';
import { inZone } from '../shared/in-zone.ts';
import { assertStorableFields } from '../shared/storable-json.ts';
import { narrowGrantToBlueprint, runnableBlueprint } from '../blueprints/blueprint-spawn.ts';
import type { RunFields } from '../runs/run-creation-sql.ts';
import type { RunRow } from '../runs/run-row.ts';
import { findSession } from './session-repository.ts';
import type { SessionRow } from './session-row.ts';
import { assertSessionSidIsLabel } from './session-sid.ts';
import { inheritedRootCeiling } from './root-ceiling.ts';
import { insertSpawnedSession, provisionSeats, SEATS_MISSING, type SeatClaim, type SeedSpawnFields, type SpawnRecord } from './spawn-repository.ts';
import { isGroupableSpawn, spawnGroupOf } from './spawn-group.ts';
import { resolveSpawnGrant } from './spawn-grant.ts';
import { planSpawn } from './spawn-plan.ts';

/** The caller's application scopes: its mandate's scopes without the Coordinator's own. */
export function applicationScopes(principal: Principal): string[] {
  return [...principal.scopes].filter((scope) => scope !== LIFECYCLE_SCOPE && scope !== ADMIN_SCOPE);
}

/** Reads a session of `zoneId`, or 404 (a session of another zone does not exist here). */
export async function requireSession(context: ServerContext, zoneId: string, id: string): Promise<SessionRow> {
  return inZone(await findSession(context.database, id), zoneId, `agent session ${id}`);
}

/**
 * Opens an agent session (`POST /zones/{zoneId}/agents`): checks ownership, works out
 * the grant from the parent's authority, and writes everything in one statement, at most once per
 * Idempotency-Key. Answers 201 with the new session. `seed`: the Agent Coordinator fields of a
 * `POST /sessions` spawn.
 */
export async function spawnSession(
  context: ServerContext,
  request: CreateRequest<SpawnSessionBody>,
  seed?: SeedSpawnFields,
): Promise<CreateResult<SpawnedSession>> {
  return (await spawnWriting(context, request, seed, undefined)).result;
}

/**
 * A `start_session` run's spawn (`POST /runs`, which takes no Idempotency-Key): the session and
 * its run are written in the spawn's one statement, so they exist together or not at all, and
 * every refusal of the spawn writes neither. Answers the new run's row.
 */
export async function spawnSessionWithRun(
  context: ServerContext,
  request: Omit<CreateRequest<SpawnSessionBody>, 'idempotencyKey'>,
  seed: SeedSpawnFields,
  run: RunFields,
): Promise<RunRow> {
  const { created } = await spawnWriting(context, { ...request, idempotencyKey: undefined }, seed, run);
  // Without an Idempotency-Key nothing is replayed: the statement wrote the run or raised.
  return created!;
}

/** A spawn and, for a run's spawn, the run written with it (undefined for a replayed spawn). */
async function spawnWriting(
  context: ServerContext,
  request: CreateRequest<SpawnSessionBody>,
  seed: SeedSpawnFields | undefined,
  run: RunFields | undefined,
): Promise<{ result: CreateResult<SpawnedSession>; created: RunRow | undefined }> {
  const { principal, zoneId, body } = request;
  const applicationId = actingApplication(principal, body.application_id);
  assertStorableFields(body, ['capabilities', 'labels', 'metadata']);
  assertSessionSidIsLabel(body.session_sid);
  const now = context.now();
  // The seed fields are part of the request, so a retry with other ones is not the same request.
  const fingerprinted = seed === undefined ? request : { ...request, body: { ...body, seed } };
  let created: RunRow | undefined;
  const result = await idempotentCreate(context, fingerprinted, now, async (receiptFor) => {
    if (body.parent_edge_id !== undefined && body.parent_id === undefined) {
      throw badRequest('parent_edge_id names what a child session derives from; it needs parent_id');
    }
    const parent = body.parent_id === undefined ? undefined : await requireSession(context, zoneId, body.parent_id);
    if (parent !== undefined) assertOwner(principal, parent.application_id, `parent session ${parent.id}`);
    const blueprint = await runnableBlueprint(context, principal, body);
    const expiresAt = body.ttl_seconds === undefined ? null : now + body.ttl_seconds * 1000;
    const heldScopes = applicationScopes(principal);
    const handed = parent === undefined ? undefined : await parentAuthority(context, principal, parent, body, now);
    // A spawn from a blueprint gets no more than the blueprint allows (docs/blueprints.md).
    const requestedGrant = blueprint === undefined ? body.grant : narrowGrantToBlueprint(blueprint.authority, body.grant, {
            held: handed === undefined ? heldScopes : handed.scopes,
            root: parent === undefined,
          });
    const grant = resolveSpawnGrant({
      grant: requestedGrant,
      parentAuthority: handed,
      applicationScopes: heldScopes,
      inheritedRootCeiling:
        parent === undefined && grantMode(requestedGrant) === 'inherit' ? await inheritedRootCeiling(context, principal, applicationId, heldScopes) : null,
      now,
      sessionExpiresAt: expiresAt,
    });
    const plan = planSpawn({ zoneId, applicationId, body, parent, grant, now, expiresAt, limits: context.config.limits, seed });
    const result = { statusCode: 201, body: plan.response };
    const record: SpawnRecord = { ...plan.record, agentName: blueprint?.name ?? null, receipt: receiptFor(result), ...(run === undefined ? {} : { run }) };
    created = await insertWithSeats(context, record);
    return result;
  });
  return { result, created };
}

function grantMode(grant: SpawnSessionBody['grant']): string {
  return typeof grant === 'object' ? grant.mode : (grant ?? 'inherit');
}

/**
 * Inserts the session; the first spawn of an application in a zone provisions its seats first.
 * The first attempt claims seats without waiting; a retry (after `concurrent_change`, which is
 * also what a claim that skipped every seat answers) waits for the seats' holders, so a
 * `limit_exceeded` always means the limit is reached in committed state. Answers the run a run's
 * spawn wrote with its session. A run's root spawn first tries its share of a group statement
 * (spawn-group.ts); whatever stopped that is answered by the lone statement.
 */
async function insertWithSeats(context: ServerContext, record: SpawnRecord): Promise<RunRow | undefined> {
  if (isGroupableSpawn(record)) {
    try {
      return await spawnGroupOf(context.database).spawn(record);
    } catch {
      // The group's statement wrote nothing; the lone statement below names what stopped it.
      serverMetrics(context).groupFallbacks.inc({ group: 'spawn' });
    }
  }
  let seatClaim: SeatClaim = 'skip';
  return retryingConcurrentChanges(async () => {
    const options = { seatClaim };
    seatClaim = 'lock';
    try {
      return await insertSpawnedSession(context.database, record, options);
    } catch (error) {
      if (!(error instanceof ServerError) || error.code !== SEATS_MISSING) throw error;
      await provisionSeats(context.database, { applicationId: record.applicationId, zoneId: record.zoneId, limits: record.limits });
      return insertSpawnedSession(context.database, record, options);
    }
  });
}

/**
 * The authority a parent hands to its children: the edge its child's inherited edge derives from
 * (named in `parent_edge_id`, else the parent's only live inbound edge: derivation.ts), or its own
 * ceiling. A `none` grant hands nothing, so it needs no derivation.
 */
async function parentAuthority(
  context: ServerContext,
  principal: Principal,
  parent: SessionRow,
  body: Pick<SpawnSessionBody, 'grant' | 'parent_edge_id'>,
  now: number,
): Promise<Authority> {
  if (parent.status !== 'active') throw conflict(`parent session ${parent.id} is ${parent.status}`, 'session_not_active');
  const derivation =
    grantMode(body.grant) === 'none' ? { parentEdge: null, inboundEdgesSeen: null } : await deriveParentEdge(context.database, parent, body.parent_edge_id, now);
  return derivedAuthority(parent, derivation, applicationScopes(principal));
}
