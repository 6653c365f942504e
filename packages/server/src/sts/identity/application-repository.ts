import type { Queryable } from '../../db/database.ts';
import type { Application } from '@caracal/protocol';
import type { PageRequest } from '../../http/pagination.ts';
import type { ApplicationCredentials } from './identity-rows.ts';
import { zoneRecordView, type ZoneRecordRow } from './zone-record-row.ts';

export interface ApplicationRow extends ZoneRecordRow {
  id: string;
  name: string;
  admin: boolean;
}

const COLUMNS = 'id, zone_id, name, scopes, admin, created_at, updated_at';

export const applicationView = (row: ApplicationRow): Application => ({
  id: row.id,
  client_id: row.id,
  name: row.name,
  admin: row.admin,
  ...zoneRecordView(row),
});

export interface NewApplication {
  id: string;
  zoneId: string;
  name: string;
  scopes: string[];
  admin: boolean;
  secretHash: string;
  now: Date;
}

/** Inserts an application; undefined when the client id is taken (in any zone). */
export async function insertApplication(queryable: Queryable, application: NewApplication): Promise<Application | undefined> {
  const { rows } = await queryable.query<ApplicationRow>(
    `INSERT INTO applications (id, zone_id, name, scopes, admin, secret_hash, created_at, updated_at)
     VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $7) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
    [application.id, application.zoneId, application.name, application.scopes, application.admin, application.secretHash, application.now],
  );
  return rows[0] === undefined ? undefined : applicationView(rows[0]);
}

/** Replaces scopes, admin flag and (when given) the secret hash of an existing application. */
export async function updateApplication(
  queryable: Queryable,
  update: { id: string; scopes: string[]; admin: boolean; secretHash: string | undefined; now: Date },
): Promise<void> {
  await queryable.query(
    `UPDATE applications SET scopes = $2::text[], admin = $3, secret_hash = coalesce($4, secret_hash), updated_at = $5 WHERE id = $1`,
    [update.id, update.scopes, update.admin, update.secretHash ?? null, update.now],
  );
}

/** The application with its secret hash and its zone's key version: what the token endpoint needs. */
export async function findApplicationCredentials(queryable: Queryable, clientId: string): Promise<ApplicationCredentials | undefined> {
  const { rows } = await queryable.query<{
    id: string;
    zone_id: string;
    scopes: string[];
    admin: boolean;
    secret_hash: string;
    key_version: number;
  }>(
    `SELECT a.id, a.zone_id, a.scopes, a.admin, a.secret_hash, z.key_version
       FROM applications a JOIN zones z ON z.id = a.zone_id WHERE a.id = $1`,
    [clientId],
    // Read on every request an application token makes: planned once per connection, not per call.
    { prepare: true },
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : { id: row.id, zoneId: row.zone_id, scopes: row.scopes, admin: row.admin, secretHash: row.secret_hash, keyVersion: row.key_version };
}

/** A page of a zone's applications in id order, and one row more when there is a next page. */
export async function listApplications(queryable: Queryable, zoneId: string, page: PageRequest): Promise<ApplicationRow[]> {
  const { rows } = await queryable.query<ApplicationRow>(
    `SELECT ${COLUMNS} FROM applications WHERE zone_id = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`,
    [zoneId, page.afterKey ?? null, page.limit + 1],
  );
  return rows;
}
