import type { Queryable } from '../../db/database.ts';
import type { Resource } from '@caracal/protocol';
import type { PageRequest } from '../../http/pagination.ts';
import { zoneRecordView, type ZoneRecordRow } from './zone-record-row.ts';

export interface ResourceRow extends ZoneRecordRow {
  identifier: string;
}

const COLUMNS = 'identifier, zone_id, scopes, created_at, updated_at';

export const resourceView = (row: ResourceRow): Resource => ({
  identifier: row.identifier,
  ...zoneRecordView(row),
});

/** Creates the resource or replaces the scopes it accepts; reports which happened. */
export async function upsertResource(
  queryable: Queryable,
  resource: { zoneId: string; identifier: string; scopes: string[]; now: Date },
): Promise<{ resource: Resource; created: boolean }> {
  const { rows } = await queryable.query<ResourceRow & { created: boolean }>(
    `INSERT INTO resources (zone_id, identifier, scopes, created_at, updated_at) VALUES ($1, $2, $3::text[], $4, $4)
     ON CONFLICT (zone_id, identifier) DO UPDATE SET scopes = EXCLUDED.scopes, updated_at = EXCLUDED.updated_at
     RETURNING ${COLUMNS}, (xmax = 0) AS created`,
    [resource.zoneId, resource.identifier, resource.scopes, resource.now],
  );
  const row = rows[0]!;
  return { resource: resourceView(row), created: row.created };
}

/** A page of a zone's resources in identifier order, and one row more when there is a next page. */
export async function listResources(queryable: Queryable, zoneId: string, page: PageRequest): Promise<ResourceRow[]> {
  const { rows } = await queryable.query<ResourceRow>(
    `SELECT ${COLUMNS} FROM resources WHERE zone_id = $1 AND ($2::text IS NULL OR identifier > $2) ORDER BY identifier LIMIT $3`,
    [zoneId, page.afterKey ?? null, page.limit + 1],
  );
  return rows;
}

/** The scopes a resource of the zone accepts, or null when it is not registered there. */
export async function acceptedScopes(queryable: Queryable, zoneId: string, identifier: string): Promise<string[] | null> {
  const { rows } = await queryable.query<{ scopes: string[] }>('SELECT scopes FROM resources WHERE zone_id = $1 AND identifier = $2', [
    zoneId,
    identifier,
  ]);
  return rows[0]?.scopes ?? null;
}
