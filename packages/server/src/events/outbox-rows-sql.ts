/*
 * Outbox rows as plain SELECTs, written by one INSERT per statement. Every data-modifying CTE
 * costs each execution of its statement an executor start that opens the table and all its
 * indexes, even when it writes no row; a hot statement that wrote its outbox rows through several
 * INSERT CTEs paid that several times. Parts yield rows, one CTE writes them all, in the order the
 * statement states rather than the order Postgres happens to run its CTEs in.
 */

/** One kind of outbox row a statement writes, each field an SQL expression over `from`. */
export interface OutboxRowsSource {
  topic: string;
  eventType: string;
  zoneId: string;
  /** jsonb */
  payload: string;
  /** The rows' order within the part: a bigint, then a text (default: neither). */
  orderBy?: { number?: string; text?: string };
  /** `FROM …` (with any WHERE) the fields read. */
  from: string;
}

/** SQL yielding a part's outbox rows: `topic`, `event_type`, `zone_id`, `payload`, then its order, `position` and `tiebreak`. */
export type OutboxRows = string & { readonly outboxRows: unique symbol };

export function outboxRows(source: OutboxRowsSource): OutboxRows {
  return `SELECT ${source.topic}::text AS topic, ${source.eventType}::text AS event_type, ${source.zoneId}::text AS zone_id,
      ${source.payload} AS payload, (${source.orderBy?.number ?? '0'})::bigint AS position, (${source.orderBy?.text ?? "''"})::text AS tiebreak
    ${source.from}` as OutboxRows;
}

/**
 * CTE `name` writing every row of `parts` to caracal_outbox in one INSERT: the first part's rows
 * first, each part's in its own order, so their ids ascend in that order. RETURNING `id`.
 */
export function outboxInsertCte(name: string, parts: readonly OutboxRows[]): string {
  const all = parts.map((part, index) => `SELECT ${index} AS part, rows.* FROM (${part}) AS rows`).join('\n      UNION ALL ');
  return `${name} AS (
    INSERT INTO caracal_outbox (topic, event_type, zone_id, payload)
    SELECT outbox.topic, outbox.event_type, outbox.zone_id, outbox.payload FROM (${all}) AS outbox
    ORDER BY outbox.part, outbox.position, outbox.tiebreak
    RETURNING id)`;
}
