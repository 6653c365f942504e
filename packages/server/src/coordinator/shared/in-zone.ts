import { notFound } from '../../http/server-error.ts';

/** The row read by id when it belongs to `zoneId`, else 404: a row of another zone does not exist here. */
export function inZone<Row extends { zone_id: string }>(row: Row | undefined, zoneId: string, what: string): Row {
  if (row === undefined || row.zone_id !== zoneId) throw notFound(`${what} not found in zone ${zoneId}`);
  return row;
}
