import { parseRevocationEvent, streamIdTime, type RevocationEventFields } from './revocation-event.ts';
import type { RevocationSourceCommonOptions } from './revocation-source.ts';
import type { RevocationStore } from './revocation-store.ts';

/** When the revocation happened: `occurred_at`, else the time in its stream id. */
function eventTime(fields: RevocationEventFields, id: string | undefined): number | undefined {
  const occurredAt = typeof fields.occurred_at === 'string' ? Date.parse(fields.occurred_at) : Number.NaN;
  if (Number.isFinite(occurredAt)) return occurredAt;
  return streamIdTime(typeof fields.stream_id === 'string' ? fields.stream_id : id);
}

/**
 * Applies one event from any feed to `store`, after the source's zone filter and `verifyEvent`.
 * Returns true when it revoked something.
 * @internal
 */
export function applyRevocationEvent(
  store: RevocationStore,
  options: Pick<RevocationSourceCommonOptions, 'zoneId' | 'verifyEvent'>,
  event: { readonly id: string | undefined; readonly topic: string | undefined; readonly fields: RevocationEventFields },
): boolean {
  if (options.verifyEvent !== undefined && !options.verifyEvent(event.fields, event.topic)) return false;
  const parsed = parseRevocationEvent(event.fields, event.topic);
  if (parsed.zoneId !== undefined && options.zoneId !== undefined && parsed.zoneId !== options.zoneId) return false;
  if (parsed.sessionIds.length + parsed.edgeIds.length === 0) return false;
  const revokedAt = eventTime(event.fields, event.id);
  store.revoke(revokedAt === undefined ? parsed : { ...parsed, revokedAt });
  return true;
}
