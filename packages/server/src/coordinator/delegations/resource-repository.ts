import type { Database } from '../../db/database.ts';

const presence = new WeakMap<Database, boolean>();

/**
 * The scopes a resource accepts, from the STS's `resources` table: an array, null when the
 * resource is not registered in the zone, or undefined when no STS tables exist (the Coordinator
 * running alone), in which case resource scopes are not checked.
 */
export async function resourceScopes(database: Database, zoneId: string, resourceId: string): Promise<string[] | null | undefined> {
  let present = presence.get(database);
  if (present === undefined) {
    const result = await database.query<{ present: boolean }>(`SELECT to_regclass('resources') IS NOT NULL AS present`);
    present = result.rows[0]!.present;
    presence.set(database, present);
  }
  if (!present) return undefined;
  const result = await database.query<{ scopes: string[] }>(
    'SELECT scopes FROM resources WHERE zone_id = $1 AND identifier = $2',
    [zoneId, resourceId],
  );
  return result.rows[0]?.scopes ?? null;
}
