import type { Queryable } from '../../db/database.ts';
import type { Zone } from '@caracal/protocol';
import type { PageRequest } from '../../http/pagination.ts';

export interface ZoneRow {
  id: string;
  name: string;
  created_at: Date;
}

export const zoneView = (row: ZoneRow): Zone => ({ id: row.id, name: row.name, created_at: new Date(row.created_at).toISOString() });

/** Inserts a zone; undefined when the id is taken. */
export async function insertZone(queryable: Queryable, zone: { id: string; name: string; createdAt: Date }): Promise<Zone | undefined> {
  const { rows } = await queryable.query<ZoneRow>(
    'INSERT INTO zones (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id, name, created_at',
    [zone.id, zone.name, zone.createdAt],
  );
  return rows[0] === undefined ? undefined : zoneView(rows[0]);
}

/** Creates the zone or renames it (bootstrap). */
export async function upsertZone(queryable: Queryable, zone: { id: string; name: string | undefined; createdAt: Date }): Promise<void> {
  await queryable.query(
    `INSERT INTO zones (id, name, created_at) VALUES ($1, coalesce($2, $1), $3)
     ON CONFLICT (id) DO UPDATE SET name = coalesce($2, zones.name)`,
    [zone.id, zone.name ?? null, zone.createdAt],
  );
}

export async function zoneExists(queryable: Queryable, zoneId: string): Promise<boolean> {
  const { rows } = await queryable.query('SELECT 1 FROM zones WHERE id = $1', [zoneId]);
  return rows.length > 0;
}

/** A page of zones in id order, and one row more when there is a next page. */
export async function listZones(queryable: Queryable, page: PageRequest): Promise<ZoneRow[]> {
  const { rows } = await queryable.query<ZoneRow>(
    'SELECT id, name, created_at FROM zones WHERE ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2',
    [page.afterKey ?? null, page.limit + 1],
  );
  return rows;
}
