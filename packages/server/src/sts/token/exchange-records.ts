import type { ExchangedMandateUse } from '@caracal/protocol';
import type { ExchangeRecord } from './exchange-audit-log.ts';
import type { ExchangeSnapshot, SessionState } from './exchange-repository.ts';

/** What an exchange asked for, as its records show it. */
export interface ExchangeAsked {
  resource: string;
  /** The `scope` parameter; undefined when the request left it out. */
  scopes: string[] | undefined;
  edgeId: string | undefined;
  use: ExchangedMandateUse;
}

/**
 * The session an exchange is recorded on: the one it names, once it is known to exist in the
 * caller's zone and to belong to the caller. Any other exchange has no timeline of the caller's
 * to land on (nothing is written on another application's timeline on a stranger's request).
 */
export function recordedSession(snapshot: ExchangeSnapshot, zoneId: string, clientId: string): SessionState | undefined {
  const session = snapshot.session;
  if (session === null || session.zoneId !== zoneId || session.applicationId !== clientId) return undefined;
  return session;
}

/** A record of `eventType` on the timeline of `session`, at `now`. */
function recordOn(session: SessionState, eventType: ExchangeRecord['eventType'], now: number, details: ExchangeRecord['details']): ExchangeRecord {
  return { zoneId: session.zoneId, sessionId: session.id, applicationId: session.applicationId, eventType, at: now, details };
}

/** `mandate_minted`: what the mandate carries, by its `jti`. */
export function mintedRecord(
  session: SessionState,
  asked: ExchangeAsked,
  mandate: { jti: string; scopes: string[]; delegationPath: string[]; expiresAt: number; clientId: string },
  now: number,
): ExchangeRecord {
  return recordOn(session, 'mandate_minted', now, {
    jti: mandate.jti,
    resource: asked.resource,
    scopes: mandate.scopes,
    delegation_edge_id: mandate.delegationPath.at(-1) ?? null,
    delegation_path: mandate.delegationPath,
    mandate_use: asked.use,
    expires_at: new Date(mandate.expiresAt * 1000).toISOString(),
    client_id: mandate.clientId,
  });
}

/** `mandate_refused`: what was asked and why it was refused (the error code and its description). */
export function refusedRecord(
  session: SessionState,
  asked: ExchangeAsked,
  refusal: { code: string; description: string },
  now: number,
): ExchangeRecord {
  return recordOn(session, 'mandate_refused', now, {
    resource: asked.resource,
    scopes: asked.scopes ?? null,
    delegation_edge_id: asked.edgeId ?? session.delegationEdgeId,
    mandate_use: asked.use,
    reason: refusal.code,
    error_description: refusal.description,
  });
}
