import {
  CreateSeedSessionBody,
  DeletedSeedSession,
  EmptyBody,
  idPatterns,
  ListSeedSessionsQuery,
  SeedSessionAnswer,
  SeedSessionChanged,
  SeedSessionPage,
  SeedSessionParams,
  SeedSessionStatus,
  SeedStatusParams,
  SessionResult,
  UpdateSeedMetadataBody,
} from '@caracal/protocol';
import { listedPage } from '../../http/pagination.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';
import { ServerError } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { idempotencyKeyOf, principalOf } from '../shared/request-principal.ts';
import { OPTIONAL_BODY } from '../shared/route-requests.ts';
import { createSeedSession } from './create-seed-session.ts';
import { deleteSeedSession } from './delete-seed-session.ts';
import { seedSessionView } from './seed-session.ts';
import { findSeedSession, listSeedSessions } from './seed-session-repository.ts';
import { isVisibleSeedSession, requireSeedSession } from './seed-visibility.ts';
import { newestResultEvent } from './session-event-repository.ts';
import { sessionEventView } from './timeline-entry.ts';
import { updateSessionMetadata } from './update-seed-metadata.ts';

/** `/sessions…` of the Agent Coordinator surface (docs/sessions.md); the zone is the mandate's. */
export const seedSessionRoutes: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  app.get('/sessions', { schema: { querystring: ListSeedSessionsQuery, response: { 200: SeedSessionPage } } }, async (request) => {
    const principal = principalOf(request);
    const filters = { zoneId: principal.zoneId, applicationId: principal.admin ? undefined : principal.clientId, runStatus: request.query.status };
    const page = await listedPage(
      request.query,
      { pattern: idPatterns.agentSession, of: (row: { id: string }) => row.id },
      (pageRequest) => listSeedSessions(context.database, filters, pageRequest),
      seedSessionView,
    );
    return { sessions: page.items, next_cursor: page.next_cursor };
  });

  app.post(
    '/sessions',
    // Every field is optional, so a bare POST creates a root session.
    { ...OPTIONAL_BODY, schema: { body: CreateSeedSessionBody, response: { 201: SeedSessionChanged, 200: SeedSessionChanged } } },
    async (request, reply) => {
      const created = await createSeedSession(context, { principal: principalOf(request), body: request.body, idempotencyKey: idempotencyKeyOf(request) });
      return reply.status(created.statusCode === 200 ? 200 : 201).send({ ok: true, session: created.session });
    },
  );

  app.get('/sessions/:id', { schema: { params: SeedSessionParams, response: { 200: SeedSessionAnswer } } }, async (request) => ({
    session: seedSessionView(await requireSeedSession(context.database, principalOf(request), request.params.id)),
  }));

  app.get('/sessions/:id/status', { schema: { params: SeedStatusParams, response: { 200: SeedSessionStatus } } }, async (request) => {
    const { id } = request.params;
    const row = new RegExp(idPatterns.agentSession).test(id) ? await findSeedSession(context.database, id) : undefined;
    return { status: isVisibleSeedSession(row, principalOf(request)) ? row.run_status : ('not_existent' as const) };
  });

  app.get('/sessions/:id/result', { schema: { params: SeedSessionParams, response: { 200: SessionResult } } }, async (request) => {
    const session = await requireSeedSession(context.database, principalOf(request), request.params.id);
    if (session.run_status !== 'finished' && session.run_status !== 'idle') {
      throw new ServerError(400, 'run_not_finished', `session ${session.id} is ${session.run_status}; a result is read once it is finished or idle`);
    }
    const row = await newestResultEvent(context.database, session.id);
    if (row === undefined) throw new ServerError(404, 'no_result', `session ${session.id} has no result event`);
    const event = sessionEventView(row);
    return { result_text: event.result_text, result_data: event.result_data };
  });

  app.patch(
    '/sessions/:id/metadata',
    { ...OPTIONAL_BODY, schema: { params: SeedSessionParams, body: UpdateSeedMetadataBody, response: { 200: SeedSessionChanged } } },
    async (request) => ({
      ok: true as const,
      session: await updateSessionMetadata(context, principalOf(request), request.params.id, request.body),
    }),
  );

  app.delete(
    '/sessions/:id',
    { ...OPTIONAL_BODY, schema: { params: SeedSessionParams, body: EmptyBody, response: { 200: DeletedSeedSession } } },
    async (request) => deleteSeedSession(context, principalOf(request), request.params.id),
  );
};
