import type { Queryable } from '../../db/database.ts';

/** Revocation state of what a mandate names, read in one statement. */
export interface RevocationState {
  /** Undefined when the mandate names no session; null when the session row is gone. */
  sessionStatus: string | null | undefined;
  /** Edges of the mandate's path that are revoked. */
  revokedEdgeIds: string[];
}

export async function readRevocationState(
  queryable: Queryable,
  references: { sessionId: string | undefined; edgeIds: readonly string[] },
): Promise<RevocationState> {
  const { rows } = await queryable.query<{ session_status: string | null; revoked_edge_ids: string[] | null }>(
    `SELECT (SELECT s.status FROM agent_sessions s WHERE s.id = $1::text) AS session_status,
            (SELECT array_agg(e.id) FROM delegation_edges e WHERE e.id = ANY ($2::text[]) AND e.status = 'revoked') AS revoked_edge_ids`,
    [references.sessionId ?? null, references.edgeIds],
  );
  const row = rows[0]!;
  return {
    sessionStatus: references.sessionId === undefined ? undefined : row.session_status,
    revokedEdgeIds: row.revoked_edge_ids ?? [],
  };
}
