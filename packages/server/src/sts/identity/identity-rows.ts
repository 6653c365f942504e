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

/** One page of a list: the static form of the protocol's `Page(item)` schema. */
export interface Page<Item> {
  items: Item[];
  next_cursor: string | null;
}

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
