import type { CompleteInvocationBody, CreatedInvocation, CreateInvocationBody, Invocation } from '@caracal/protocol';
import { newId } from '../../ids.ts';
import { badRequest, conflict } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { requireService } from '../service-agents/service-agent-service.ts';
import { requireSession } from '../sessions/session-service.ts';
import { assertOwner, requireOwned, type ActionTarget } from '../shared/access.ts';
import type { CreateResult } from '../shared/idempotency.ts';
import { idempotentCreate, type CreateRequest } from '../shared/idempotent-create.ts';
import { inZone } from '../shared/in-zone.ts';
import { wakeOutboxPublishers } from '../shared/outbox-wakeup-repository.ts';
import { assertStorableFields } from '../shared/storable-json.ts';
import { endFromRequest } from '../shared/time.ts';
import { findInvocation, insertInvocation, transitionInvocation, type InvocationTransition } from './invocation-repository.ts';
import { invocationView, OPEN_STATUSES, type InvocationRow } from './invocation-row.ts';

export async function requireInvocation(context: ServerContext, zoneId: string, id: string): Promise<InvocationRow> {
  return inZone(await findInvocation(context.database, id), zoneId, `invocation ${id}`);
}

/**
 * Records an invocation by an active session of the caller's, with an optional deadline
 * (`deadline_at`, or `timeout_seconds` from now) that the deadline enforcer acts on.
 */
export async function createInvocation(
  context: ServerContext,
  request: CreateRequest<CreateInvocationBody>,
): Promise<CreateResult<CreatedInvocation>> {
  const { principal, zoneId, body } = request;
  const now = context.now();
  const deadline = endFromRequest(body.deadline_at, body.timeout_seconds, ['deadline_at', 'timeout_seconds'], now) ?? null;
  assertStorableFields(body, ['input', 'metadata', 'operation']);
  if (deadline !== null && deadline <= now) throw badRequest('deadline_at must be in the future');
  return idempotentCreate(context, request, now, async (receiptFor) => {
    const session = await requireSession(context, zoneId, body.agent_session_id);
    assertOwner(principal, session.application_id, `agent session ${session.id}`);
    if (session.status !== 'active') throw conflict(`agent session ${session.id} is ${session.status}`, 'session_not_active');
    if (body.service_id !== undefined) await requireService(context, zoneId, body.service_id);
    const row: InvocationRow = {
      id: newId('inv', now),
      zone_id: zoneId,
      application_id: session.application_id,
      agent_session_id: session.id,
      service_id: body.service_id ?? null,
      operation: body.operation,
      input: body.input ?? {},
      output: null,
      error: null,
      metadata: body.metadata ?? {},
      status: 'pending',
      deadline_at: deadline === null ? null : new Date(deadline),
      created_at: new Date(now),
      started_at: null,
      finished_at: null,
      cancel_reason: null,
    };
    const result = { statusCode: 201, body: { invocation_id: row.id, ...invocationView(row) } };
    await insertInvocation(context.database, row, receiptFor(result));
    return result;
  });
}

/** A move between states, before it is tied to an invocation and a time. */
export type Move = Omit<InvocationTransition, 'id' | 'now'>;

/** The moves callers can ask for. */
export const invocationMoves = {
  start: (): Move => ({ from: ['pending'], to: 'running', event: 'invocation_started', beforeDeadline: true }),
  complete: (body: CompleteInvocationBody): Move => {
    const to = body.status ?? 'succeeded';
    return { from: OPEN_STATUSES, to, event: `invocation_${to}`, output: body.output, error: body.error, beforeDeadline: true };
  },
  cancel: (reason: string | undefined): Move => ({
    from: OPEN_STATUSES,
    to: 'cancelled',
    event: 'invocation_cancelled',
    cancelReason: reason ?? 'cancelled',
    beforeDeadline: false,
  }),
};

/** Applies a move to an invocation of the caller's; 409 when its state does not allow it. */
export async function moveInvocation(
  context: ServerContext,
  request: ActionTarget & { move: Move },
): Promise<Invocation> {
  const { move } = request;
  assertStorableFields(move, ['output', 'error']);
  const invocation = await requireOwned(context, request, requireInvocation, 'invocation');
  const now = context.now();
  const changed = await transitionInvocation(context.database, { ...move, id: invocation.id, now: new Date(now).toISOString() });
  if (changed !== undefined) {
    wakeOutboxPublishers(context.database);
    return invocationView(changed);
  }
  const current = await requireInvocation(context, request.zoneId, request.id);
  if (move.from.includes(current.status)) {
    throw conflict(`invocation ${current.id} is past its deadline`, 'deadline_exceeded');
  }
  throw conflict(`invocation ${current.id} is ${current.status}; it cannot move to ${move.to}`, 'invalid_state');
}
