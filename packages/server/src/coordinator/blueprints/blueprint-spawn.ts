import type { Blueprint, BlueprintAuthority, SpawnGrant } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import { ServerError, badRequest, conflict } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import type { Constraints } from '../delegations/authority.ts';
import { requireBlueprint } from './blueprint-service.ts';

const exceeded = (description: string): ServerError => new ServerError(403, 'authority_exceeded', description);

/**
 * The blueprint a spawn (or, later, a run) names — `blueprint`, or the seed's `agent_name` — read
 * afresh from the zone's registry: 404 when unknown, 409 when broken on disk, 409
 * `blueprint_inactive` when disabled. Undefined when the spawn names none.
 */
export async function runnableBlueprint(
  context: ServerContext,
  principal: Principal,
  named: { blueprint?: string | undefined; agent_name?: string | undefined },
): Promise<Blueprint | undefined> {
  if (named.blueprint !== undefined && named.agent_name !== undefined && named.blueprint !== named.agent_name) {
    throw badRequest('blueprint and agent_name name the same thing; send one, or both equal');
  }
  const name = named.blueprint ?? named.agent_name;
  if (name === undefined) return undefined;
  const { blueprint } = await requireBlueprint(context, { principal, name });
  if (blueprint.status !== 'active') throw conflict(`blueprint ${name} is inactive: enable it before running it`, 'blueprint_inactive');
  return blueprint;
}

/** A root session's caveats may bind scopes per resource; an edge's carry no such bound. */
export type BlueprintCaveats = Constraints & { resource_scopes?: Record<string, string[]> };

/**
 * The grant of a spawn from a blueprint: what it asked for, narrowed to what the blueprint allows
 * and to `held` (the scopes the spawn could hand on at most; undefined when unknown). A blueprint
 * without authority, or nothing left after narrowing, grants nothing. One resource binds the
 * session to it. With several, a root session records the scopes of each in its caveats
 * (`resource_scopes`, which the STS holds every exchange to); a child session, whose authority is
 * an edge of one resource, must pick one with `grant.resource_id` (docs/blueprints.md).
 */
export function narrowGrantToBlueprint(
  authority: BlueprintAuthority | null,
  requested: SpawnGrant | undefined,
  options: { held: readonly string[] | undefined; root: boolean },
): SpawnGrant {
  const { held } = options;
  const asked = typeof requested === 'object' ? requested : { mode: requested ?? 'inherit' };
  if (asked.mode === 'none' || authority === null || authority.resources.length === 0) return 'none';
  const narrowing = asked.mode === 'narrow' ? (asked as Extract<SpawnGrant, { mode: string }>) : undefined;
  let resources = authority.resources;
  if (narrowing?.resource_id !== undefined) {
    resources = resources.filter((resource) => resource.resource_id === narrowing.resource_id);
    if (resources.length === 0) throw exceeded(`the blueprint grants nothing on resource ${narrowing.resource_id}`);
  }
  const allowed = [...new Set(resources.flatMap((resource) => resource.scopes))];
  const outside = (narrowing?.scopes ?? []).filter((scope) => !allowed.includes(scope));
  if (outside.length > 0) throw exceeded(`scopes outside the blueprint's authority: ${outside.join(' ')}`);
  const scopes = (narrowing?.scopes ?? allowed).filter((scope) => held === undefined || held.includes(scope));
  if (scopes.length === 0) return 'none';
  let constraints: BlueprintCaveats | undefined = tighter(authority.constraints, narrowing?.constraints);
  if (resources.length > 1) {
    if (!options.root) {
      throw badRequest('this blueprint grants several resources; a child session holds one: name it in grant.resource_id (grant mode narrow)');
    }
    const perResource = Object.fromEntries(resources.map((resource) => [resource.resource_id, resource.scopes.filter((scope) => scopes.includes(scope))]));
    constraints = { ...constraints, resource_scopes: perResource };
  }
  return {
    mode: 'narrow',
    scopes,
    ...(resources.length === 1 ? { resource_id: resources[0]!.resource_id } : {}),
    ...(constraints === undefined ? {} : { constraints }),
  };
}

/** The stricter of two sets of caveats, bound by bound. */
function tighter(left: Constraints | undefined, right: Constraints | undefined): Constraints | undefined {
  if (left === undefined) return right;
  if (right === undefined) return left;
  const least = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  const merged: Constraints = {};
  const ttl = least(left.ttl_seconds, right.ttl_seconds);
  const hops = least(left.max_hops, right.max_hops);
  const budget = least(left.budget, right.budget);
  if (ttl !== undefined) merged.ttl_seconds = ttl;
  if (hops !== undefined) merged.max_hops = hops;
  if (budget !== undefined) merged.budget = budget;
  // Approval only narrows: a blueprint that says false stays false.
  const approved = left.policy_approved === false || right.policy_approved === false ? false : (left.policy_approved ?? right.policy_approved);
  if (approved !== undefined) merged.policy_approved = approved;
  return merged;
}
