/** The columns an application and a resource share: the zone, the scopes and when it was written. */
export interface ZoneRecordRow {
  zone_id: string;
  scopes: string[];
  created_at: Date;
  updated_at: Date;
}

/** The shared columns as the admin API shows them, timestamps in ISO 8601. */
export function zoneRecordView(row: ZoneRecordRow): { zone_id: string; scopes: string[]; created_at: string; updated_at: string } {
  return {
    zone_id: row.zone_id,
    scopes: row.scopes,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
