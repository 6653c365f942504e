import { hasIdShape } from '../../ids.ts';
import { badRequest } from '../../http/server-error.ts';

/**
 * `session_sid` is the spawning application's own label for a session, and it rides on the
 * session's revocation event. A label shaped like a server-assigned id could be read as one by a
 * receiver and revoke another application's session, so it is refused
 * (docs/decisions/2026-12-04-revocation-names.md).
 */
export function assertSessionSidIsLabel(sessionSid: string | undefined): void {
  if (sessionSid !== undefined && hasIdShape(sessionSid)) {
    throw badRequest('session_sid has the shape of a server-assigned id (prefix_ and 26 id characters); choose a label of your own');
  }
}
