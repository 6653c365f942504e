import type { Database } from '../../db/database.ts';
import { badRequest, conflict } from '../../http/server-error.ts';
import { requestFingerprint } from './canonical-json.ts';
import { findReceipt, RECEIPT_PRIMARY_KEY, type ReceiptRecord } from './idempotency-repository.ts';
import { isUniqueViolation } from './database-errors.ts';

/** What a create answers: 201 (or 200 for a registration that replaced a live one) and its body. */
export interface CreateResult<Body extends object = object> {
  statusCode: number;
  body: Body;
}

/** Everything about a create request that decides whether a retry is the same request. */
export interface IdempotentRequest {
  zoneId: string;
  clientId: string;
  /** The Idempotency-Key header, if any. */
  key: string | undefined;
  route: string;
  body: unknown;
  now: number;
}

/** Builds the receipt a create stores with its rows, given the answer it is about to give. */
export type ReceiptFor = (result: CreateResult) => ReceiptRecord | undefined;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Runs a create at most once per Idempotency-Key: a replay answers the stored status and body,
 * the same key with a different request is `409 idempotency_key_reused`. The create stores its
 * receipt in its own statement, so a crash never leaves one without the other; when two requests
 * with one key race, the loser's statement fails on the receipt key and it answers the winner's.
 */
export async function idempotent<Body extends object>(
  database: Database,
  request: IdempotentRequest,
  create: (receiptFor: ReceiptFor) => Promise<CreateResult<Body>>,
): Promise<CreateResult<Body>> {
  const { key } = request;
  if (key === undefined) return create(() => undefined);
  if (!KEY_PATTERN.test(key)) throw badRequest('Idempotency-Key must be 1–255 printable ASCII characters');
  const requestHash = requestFingerprint(request.route, request.body);
  const identity = { zoneId: request.zoneId, clientId: request.clientId, key };
  const replay = async (): Promise<CreateResult<Body> | undefined> => {
    const stored = await findReceipt(database, identity);
    if (stored === undefined) return undefined;
    if (stored.request_hash !== requestHash) {
      throw conflict('this Idempotency-Key was already used with a different request', 'idempotency_key_reused');
    }
    // The stored body is the answer this route gave the first time, so it has the route's shape.
    return { statusCode: stored.status_code, body: stored.response as Body };
  };
  const earlier = await replay();
  if (earlier !== undefined) return earlier;
  try {
    return await create((result) => ({
      ...identity,
      requestHash,
      statusCode: result.statusCode,
      response: result.body,
      createdAt: new Date(request.now).toISOString(),
    }));
  } catch (error) {
    if (!isUniqueViolation(error, RECEIPT_PRIMARY_KEY)) throw error;
    const winner = await replay();
    if (winner === undefined) throw error;
    return winner;
  }
}
