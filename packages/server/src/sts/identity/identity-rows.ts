/** A zone as the admin API shows it. */
export interface Zone {
  id: string;
  name: string;
  created_at: string;
}

/** An application (OAuth client) as the admin API shows it; never its secret hash. */
export interface Application {
  id: string;
  client_id: string;
  zone_id: string;
  name: string;
  scopes: string[];
  admin: boolean;
  created_at: string;
  updated_at: string;
}

/** A resource (RFC 8707 target) and the scopes it accepts. */
export interface Resource {
  identifier: string;
  zone_id: string;
  scopes: string[];
  created_at: string;
  updated_at: string;
}

/** What client authentication needs about an application, read in one query. */
export interface ApplicationCredentials {
  id: string;
  zoneId: string;
  scopes: string[];
  admin: boolean;
  secretHash: string;
  /** The zone's signing key version (see ZoneKeyStore). */
  keyVersion: number;
}

/** One page of a list (DESIGN §4). */
export interface Page<Item> {
  items: Item[];
  next_cursor: string | null;
}

/** Zone and application ids: letters, digits and `_ . : -`, starting with a letter or digit. */
export const IDENTIFIER_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$';

/** Opaque cursors carry the last id of the previous page. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return id === '' ? undefined : id;
}

export function toPage<Row, Item>(rows: Row[], limit: number, map: (row: Row) => Item, idOf: (row: Row) => string): Page<Item> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(idOf(last)) : null,
  };
}
