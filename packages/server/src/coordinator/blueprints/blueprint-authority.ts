import type { BlueprintAuthority } from '@caracal/protocol';
import type { Queryable } from '../../db/database.ts';
import { badRequest } from '../../http/server-error.ts';
import { acceptedScopes } from '../../sts/identity/resource-repository.ts';

/** An authority that names nothing: reads as none, and `{}` in a PATCH clears the field. */
export function isEmptyAuthority(authority: Partial<BlueprintAuthority>): boolean {
  return (authority.resources ?? []).length === 0 && authority.constraints === undefined;
}

/**
 * Holds a blueprint's authority to the zone's registered resources: each resource exists in the
 * zone, is named once, and accepts every scope listed for it. A 400 names the first problem.
 */
export async function assertAuthorityInZone(database: Queryable, zoneId: string, authority: BlueprintAuthority): Promise<void> {
  const seen = new Set<string>();
  for (const [index, resource] of authority.resources.entries()) {
    if (seen.has(resource.resource_id)) throw badRequest(`authority.resources[${index}]: resource ${resource.resource_id} is listed twice`);
    seen.add(resource.resource_id);
    const accepted = await acceptedScopes(database, zoneId, resource.resource_id);
    if (accepted === null) throw badRequest(`authority.resources[${index}]: resource ${resource.resource_id} is not registered in zone ${zoneId}`);
    const unknown = resource.scopes.filter((scope) => !accepted.includes(scope));
    if (unknown.length > 0) {
      throw badRequest(`authority.resources[${index}]: resource ${resource.resource_id} does not accept ${unknown.join(' ')}`);
    }
  }
}
