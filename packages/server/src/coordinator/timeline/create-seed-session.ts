import type { CreateSeedSessionBody, SeedSession } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { ServerContext } from '../../server-context.ts';
import { spawnSession } from '../sessions/session-service.ts';
import { seedSessionView } from './seed-session.ts';
import { requireSeedSession } from './seed-visibility.ts';

/**
 * `POST /sessions`: a Caracal spawn in the mandate's zone (a root, or a child of
 * `parent_session_id` with the tree's limits and inherited authority), in run status `pending`,
 * at most once per Idempotency-Key. A parent the caller cannot see is a 404, as on every seed route.
 */
export async function createSeedSession(
  context: ServerContext,
  request: { principal: Principal; body: CreateSeedSessionBody; idempotencyKey: string | undefined },
): Promise<{ statusCode: number; session: SeedSession }> {
  const { principal, body } = request;
  if (body.parent_session_id !== undefined) await requireSeedSession(context.database, principal, body.parent_session_id);
  const result = await spawnSession(
    context,
    {
      principal,
      zoneId: principal.zoneId,
      body: {
        ...(body.parent_session_id === undefined ? {} : { parent_id: body.parent_session_id }),
        ...(body.execution_mode === undefined ? {} : { labels: { execution_mode: body.execution_mode } }),
      },
      idempotencyKey: request.idempotencyKey,
      route: 'POST /sessions',
    },
    { runStatus: 'pending', projectDir: body.project_dir ?? null, agentName: body.agent_name ?? null },
  );
  const session = await requireSeedSession(context.database, principal, result.body.agent_session_id);
  return { statusCode: result.statusCode, session: seedSessionView(session) };
}
