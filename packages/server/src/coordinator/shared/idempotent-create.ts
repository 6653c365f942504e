import type { Principal } from '../../auth/principal.ts';
import type { ServerContext } from '../../server-context.ts';
import { idempotent, type CreateResult, type ReceiptFor } from './idempotency.ts';
import { wakeOutboxPublishers } from './outbox-wakeup-repository.ts';

/** A create as a route hands it to its service. */
export interface CreateRequest<Body> {
  principal: Principal;
  zoneId: string;
  body: Body;
  /** The Idempotency-Key header, if any. */
  idempotencyKey: string | undefined;
  /** The route template, part of what makes a retry the same request. */
  route: string;
}

/**
 * The step every Coordinator create ends with: `create` runs at most once per Idempotency-Key
 * (see idempotent), and a create that wrote rows wakes the outbox publishers for its events; a
 * replay wrote nothing and wakes no one.
 */
export function idempotentCreate<Body extends object>(
  context: ServerContext,
  request: CreateRequest<unknown>,
  now: number,
  create: (receiptFor: ReceiptFor) => Promise<CreateResult<Body>>,
): Promise<CreateResult<Body>> {
  const { zoneId, principal, idempotencyKey, route, body } = request;
  return idempotent(context.database, { zoneId, clientId: principal.clientId, key: idempotencyKey, route, body, now }, async (receiptFor) => {
    const result = await create(receiptFor);
    wakeOutboxPublishers(context.database);
    return result;
  });
}
