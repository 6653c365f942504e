import type { Principal } from '../../auth/principal.ts';
import type { Queryable } from '../../db/database.ts';
import { notFound } from '../../http/server-error.ts';
import { findSeedSession, type SeedSessionLock, type SeedSessionRecord } from './seed-session-repository.ts';

/**
 * Whether the seed routes show a session to this caller: a session of the mandate's zone, of the
 * caller's own application (an operator's `caracal:admin` mandate sees the whole zone), and not
 * deleted from the seed views. Anything else does not exist for the caller, as on the Coordinator.
 */
export function isVisibleSeedSession(row: SeedSessionRecord | undefined, principal: Principal): row is SeedSessionRecord {
  return (
    row !== undefined &&
    row.zone_id === principal.zoneId &&
    (principal.admin || row.application_id === principal.clientId) &&
    row.seed_deleted_at === null
  );
}

/** Reads a session the caller may see, or 404 `not_found`; `lock` holds its row for the transaction. */
export async function requireSeedSession(
  queryable: Queryable,
  principal: Principal,
  id: string,
  options: { lock?: SeedSessionLock } = {},
): Promise<SeedSessionRecord> {
  const row = await findSeedSession(queryable, id, options);
  if (!isVisibleSeedSession(row, principal)) throw notFound(`session ${id} not found`);
  return row;
}
