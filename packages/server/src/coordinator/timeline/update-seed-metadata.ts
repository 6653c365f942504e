import type { SeedSession, UpdateSeedMetadataBody } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import type { ServerContext } from '../../server-context.ts';
import { parseTimestamp } from '../shared/time.ts';
import { seedSessionView } from './seed-session.ts';
import { updateSeedMetadata } from './seed-session-repository.ts';
import { requireSeedSession } from './seed-visibility.ts';
import { enqueueSessionChanges } from './session-changes.ts';

/** `PATCH /sessions/{id}/metadata`: sets the fields given (null clears one) and tells the seed feeds. */
export async function updateSessionMetadata(
  context: ServerContext,
  principal: Principal,
  sessionId: string,
  body: UpdateSeedMetadataBody,
): Promise<SeedSession> {
  if (typeof body.last_resumed_at === 'string') parseTimestamp(body.last_resumed_at, 'last_resumed_at');
  // A PATCH without fields changes nothing, so it tells the feeds nothing.
  if (!Object.values(body).some((value) => value !== undefined)) return seedSessionView(await requireSeedSession(context.database, principal, sessionId));
  return context.database.transaction(async (transaction) => {
    await requireSeedSession(transaction, principal, sessionId, { lock: 'update' });
    await updateSeedMetadata(transaction, sessionId, body);
    await enqueueSessionChanges(transaction, 'session_updated', [sessionId]);
    return seedSessionView(await requireSeedSession(transaction, principal, sessionId));
  });
}
