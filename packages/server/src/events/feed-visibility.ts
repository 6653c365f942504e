import type { Principal } from '../auth/principal.ts';
import type { PublishedEvent } from './bus-event.ts';
import { Topics } from './topics.ts';

/**
 * Who watches a live feed: an operator (a mandate with `caracal:admin`) sees the whole zone, an
 * application sees its own (docs/decisions/2026-12-04-feed-visibility.md).
 */
export type FeedViewer = { readonly operator: true } | { readonly operator: false; readonly applicationId: string };

export function feedViewerOf(principal: Principal): FeedViewer {
  return principal.admin ? { operator: true } : { operator: false, applicationId: principal.clientId };
}

/** The payload fields that name the applications an event is about (its parties). */
const PARTY_FIELDS = ['application_id', 'issuer_application_id', 'receiver_application_id'] as const;

/**
 * What every verifier of the zone needs of a revocation that is not its own: the id its mandates
 * are matched against (any application's mandate may be presented to any resource of the zone),
 * and nothing that helps find a live session or edge of another application.
 */
const ZONE_WIDE_REVOCATIONS: ReadonlyMap<string, { topic: string; fields: readonly string[] }> = new Map([
  ['session_revoked', { topic: Topics.sessionsRevoke, fields: ['agent_session_id', 'revoked_at'] }],
  ['edge_revoke', { topic: Topics.delegationsInvalidate, fields: ['delegation_edge_id'] }],
]);

/**
 * The event as `viewer` may see it: whole when the viewer is an operator or a party to it, reduced
 * to a revocation's ids when it revokes something of another application, else `undefined`.
 * An event naming no party (say, published by an older server) is shown to operators only.
 */
export function eventForViewer(event: PublishedEvent, viewer: FeedViewer): PublishedEvent | undefined {
  if (viewer.operator) return event;
  const payload = isRecord(event.payload) ? event.payload : {};
  if (PARTY_FIELDS.some((field) => payload[field] === viewer.applicationId)) return event;
  const revocation = ZONE_WIDE_REVOCATIONS.get(event.type);
  if (revocation === undefined || revocation.topic !== event.topic) return undefined;
  const kept: Record<string, unknown> = {};
  for (const field of revocation.fields) if (payload[field] !== undefined) kept[field] = payload[field];
  return { ...event, payload: kept };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
