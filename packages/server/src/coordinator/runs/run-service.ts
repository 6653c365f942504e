import type { CreatedRun, CreateRunBody } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import { badRequest, conflict, notFound } from '../../http/server-error.ts';
import { newId } from '../../ids.ts';
import type { ServerContext } from '../../server-context.ts';
import { findSession } from '../sessions/session-repository.ts';
import { spawnSessionWithRun } from '../sessions/session-service.ts';
import { retryingConcurrentChanges } from '../shared/concurrent-change.ts';
import { assertStorable } from '../shared/storable-json.ts';
import { assertRunVisible } from './run-access.ts';
import { resolveRunBlueprint } from './run-blueprint.ts';
import { announceRun } from './run-announcement.ts';
import { applyRunMove, lockRun, moveRun } from './run-moves.ts';
import type { RunFields } from './run-creation-sql.ts';
import { findActiveRun, insertRun } from './run-repository.ts';
import type { RunRow } from './run-row.ts';
import { setSessionRunStatus } from './session-run-status.ts';

/**
 * `POST /runs`: a `start_session` run spawns a Caracal session (run status `pending`) for the
 * caller's application; a `resume_session` run names an existing, visible, live session without a
 * run under way. The run is written `pending` with its `run_created` fact; once committed,
 * runners are woken.
 */
export async function createRun(context: ServerContext, principal: Principal, body: CreateRunBody): Promise<CreatedRun> {
  assertStorable(body.project_dir ?? null, 'project_dir');
  const resumed = body.type === 'resume_session' ? await resumableSession(context, principal, body) : undefined;
  const blueprint = await resolveRunBlueprint(context, {
    principal,
    agentName: body.agent_name ?? null,
    parameters: body.parameters,
    ...(resumed === undefined ? {} : { sessionAgentName: resumed.agent_name }),
  });
  const agentName = blueprint?.name ?? null;
  const run: RunFields = {
    id: newId('run', context.now()),
    zoneId: principal.zoneId,
    applicationId: principal.clientId,
    type: body.type,
    agentName,
    blueprintTags: blueprint?.tags ?? [],
    parameters: body.parameters,
    projectDir: body.project_dir ?? null,
    parentSessionId: body.parent_session_id ?? null,
    executionMode: body.execution_mode ?? null,
    details: { type: body.type, agent_name: agentName },
  };
  const created = resumed === undefined ? await spawnRunSession(context, principal, body, run) : await resumeSession(context, resumed.id, run);
  await announceRun(context.database, created);
  return { run_id: created.id, session_id: created.session_id, status: 'pending' };
}

/**
 * Spawns the run's session `pending` (with its project dir) and writes the run, all in the spawn's
 * one statement. A run of a blueprint spawns from it, so the session is narrowed to its authority
 * and records its name exactly as any spawn from a blueprint (docs/blueprints.md).
 */
async function spawnRunSession(context: ServerContext, principal: Principal, body: CreateRunBody, run: RunFields): Promise<RunRow> {
  const parentId = body.parent_session_id ?? undefined;
  const blueprint = run.agentName;
  const seed = { runStatus: 'pending' as const, projectDir: run.projectDir, agentName: blueprint };
  const spawn = { ...(parentId === undefined ? {} : { parent_id: parentId }), ...(blueprint === null ? {} : { blueprint }) };
  return spawnSessionWithRun(context, { principal, zoneId: principal.zoneId, body: spawn, route: 'POST /runs' }, seed, run);
}

/** A resume run: moves its session back to `pending` and writes the run, under the session's lock. */
async function resumeSession(context: ServerContext, sessionId: string, run: RunFields): Promise<RunRow> {
  return retryingConcurrentChanges(() =>
    context.database.transaction(async (transaction) => {
      // Locks the session's runs against a second resume racing this one.
      await transaction.query('SELECT id FROM agent_sessions WHERE id = $1 FOR UPDATE', [sessionId]);
      const active = await findActiveRun(transaction, sessionId);
      if (active !== undefined) throw conflict(`session ${sessionId} has run ${active.id} under way (${active.status}); stop it first`);
      const now = context.now();
      const fields = { agentName: run.agentName, projectDir: run.projectDir };
      await setSessionRunStatus(transaction, { sessionId, runStatus: 'pending', now, reason: 'run_created', resumed: true, fields });
      return insertRun(transaction, { ...run, sessionId, now });
    }),
  );
}

/** The session a resume run names: visible to the caller (else 404) and not terminated (409). */
async function resumableSession(context: ServerContext, principal: Principal, body: CreateRunBody): Promise<ResumableSession> {
  if (body.session_id === undefined) throw badRequest('a resume_session run names the session to resume in session_id');
  const { rows } = await context.database.query<ResumableSession & { zone_id: string; application_id: string; status: string }>(
    'SELECT id, zone_id, application_id, status, agent_name FROM agent_sessions WHERE id = $1',
    [body.session_id],
  );
  const session = rows[0];
  if (session === undefined || session.zone_id !== principal.zoneId || (!principal.admin && session.application_id !== principal.clientId)) {
    throw notFound(`agent session ${body.session_id} not found in zone ${principal.zoneId}`);
  }
  if (session.status === 'terminated') throw conflict(`agent session ${session.id} is terminated; start a new session`, 'session_not_active');
  return { id: session.id, agent_name: session.agent_name };
}

interface ResumableSession {
  id: string;
  agent_name: string | null;
}

/**
 * `POST /runs/{id}/stop`: a pending run stops at once; a claimed or running one becomes
 * `stopping` and its runner gets the stop order on its next poll (woken now). Anything else: 409.
 */
export async function stopRun(context: ServerContext, principal: Principal, runId: string): Promise<RunRow> {
  const moved = await moveRun(context.database, runId, context.now, (run) => {
    assertRunVisible(principal, run, runId);
    return { to: run.status === 'pending' ? 'stopped' : 'stopping', reason: 'stop_requested' };
  });
  return moved!;
}

/**
 * `POST /sessions/{id}/stop`: stops the session's run under way (never a finished one), which
 * signals its runner. A session without one: 409.
 */
export async function stopSessionRun(context: ServerContext, principal: Principal, sessionId: string): Promise<RunRow> {
  const session = await findSession(context.database, sessionId);
  if (session === undefined || session.zone_id !== principal.zoneId || (!principal.admin && session.application_id !== principal.clientId)) {
    throw notFound(`agent session ${sessionId} not found in zone ${principal.zoneId}`);
  }
  const stopped = await retryingConcurrentChanges(() =>
    context.database.transaction(async (transaction) => {
      const active = await findActiveRun(transaction, sessionId);
      const run = active === undefined ? undefined : await lockRun(transaction, active.id);
      if (run === undefined || run.session_id !== sessionId) throw conflict(`agent session ${sessionId} has no run under way`, 'invalid_transition');
      return applyRunMove(transaction, run, { to: run.status === 'pending' ? 'stopped' : 'stopping', reason: 'stop_requested' }, context.now());
    }),
  );
  await announceRun(context.database, stopped);
  return stopped;
}
