import { parseRevocationEvent, streamIdTime, type RevocationEventFields } from './revocation-event.ts';
import type { RevocationSourceCommonOptions } from './revocation-source.ts';
import type { RevocationStore } from './revocation-store.ts';

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
  if (options.verifyEvent !== undefined && !options.verifyEvent(event.fields)) return false;
  const parsed = parseRevocationEvent(event.fields, event.topic);
  if (parsed.zoneId !== undefined && options.zoneId !== undefined && parsed.zoneId !== options.zoneId) return false;
  if (parsed.sessionIds.length + parsed.edgeIds.length === 0) return false;
  const revokedAt = streamIdTime(event.id);
  store.revoke(revokedAt === undefined ? parsed : { ...parsed, revokedAt });
  return true;
}
