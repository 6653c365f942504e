import type { Queryable } from '../../db/database.ts';
import type { SqlParameters } from './sql-parameters.ts';

export interface StoredReceipt {
  request_hash: string;
  status_code: number;
  response: Record<string, unknown>;
}

/** What a create stores next to its own rows when it carries an Idempotency-Key. */
export interface ReceiptRecord {
  zoneId: string;
  clientId: string;
  key: string;
  requestHash: string;
  statusCode: number;
  response: object;
  createdAt: string;
}

export const RECEIPT_PRIMARY_KEY = 'coordinator_idempotency_receipts_pkey';

export async function findReceipt(
  database: Queryable,
  identity: { zoneId: string; clientId: string; key: string },
): Promise<StoredReceipt | undefined> {
  const result = await database.query<StoredReceipt>(
    `SELECT request_hash, status_code, response FROM coordinator_idempotency_receipts
     WHERE zone_id = $1 AND client_id = $2 AND idempotency_key = $3`,
    [identity.zoneId, identity.clientId, identity.key],
    { prepare: true },
  );
  return result.rows[0];
}

/**
 * A CTE that stores `receipt` when the CTE named `createdCte` produced a row, so the receipt
 * commits or rolls back with the create itself. With no receipt it inserts nothing.
 */
export function receiptCte(parameters: SqlParameters, receipt: ReceiptRecord | undefined, createdCte: string): string {
  const record =
    receipt === undefined
      ? null
      : {
          zone_id: receipt.zoneId,
          client_id: receipt.clientId,
          idempotency_key: receipt.key,
          request_hash: receipt.requestHash,
          status_code: receipt.statusCode,
          response: receipt.response,
          created_at: receipt.createdAt,
        };
  return `receipt AS (
    INSERT INTO coordinator_idempotency_receipts (zone_id, client_id, idempotency_key, request_hash, status_code, response, created_at)
    SELECT r.zone_id, r.client_id, r.idempotency_key, r.request_hash, r.status_code, r.response, r.created_at
    FROM jsonb_to_record(${parameters.json(record)}) AS r(zone_id text, client_id text, idempotency_key text,
      request_hash text, status_code integer, response jsonb, created_at timestamptz)
    WHERE r.zone_id IS NOT NULL AND EXISTS (SELECT 1 FROM ${createdCte})
    RETURNING 1
  )`;
}
