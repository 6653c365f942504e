import type { Principal } from '../../auth/principal.ts';
import { forbidden } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';

/** Who acts on which row of a zone (a `/zones/{zoneId}/…/{id}` route). */
export interface ActionTarget {
  principal: Principal;
  zoneId: string;
  id: string;
}

/**
 * The ownership rule: an application acts on its own sessions, edges, invocations and services;
 * a `caracal:admin` mandate acts on everything in its zone.
 */
export function assertOwner(principal: Principal, applicationId: string, what: string): void {
  if (principal.admin || principal.clientId === applicationId) return;
  throw forbidden(`${what} belongs to another application`);
}

/** Reads the row a target names (`require` answers 404 for another zone's) and applies the ownership rule; `what` names it. */
export async function requireOwned<Row extends { id: string; application_id: string }>(
  context: ServerContext,
  target: ActionTarget,
  require: (context: ServerContext, zoneId: string, id: string) => Promise<Row>,
  what: string,
): Promise<Row> {
  const row = await require(context, target.zoneId, target.id);
  assertOwner(target.principal, row.application_id, `${what} ${row.id}`);
  return row;
}

/** The application a create acts for: the caller's own, or (admins only) the one named. */
export function actingApplication(principal: Principal, requested: string | undefined): string {
  if (requested === undefined || requested === principal.clientId) return principal.clientId;
  if (principal.admin) return requested;
  throw forbidden(`a mandate of ${principal.clientId} cannot act for application ${requested}`);
}

/** Applications a list may show: all for admins, else only the caller's (a filter for another is refused). */
export function visibleApplication(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.admin) return requested;
  if (requested !== undefined && requested !== principal.clientId) {
    throw forbidden(`a mandate of ${principal.clientId} cannot list application ${requested}`);
  }
  return principal.clientId;
}
