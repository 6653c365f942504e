import type { Revocation, RevocationStore } from '../../../src/verify/index.ts';

/** Resolves with the next revocation the store hears of (an event, not a timer). */
export function nextRevocation(store: RevocationStore): Promise<Revocation> {
  return new Promise((resolve) => {
    const unsubscribe = store.onRevoked((revocation) => {
      unsubscribe();
      resolve(revocation);
    });
  });
}

/** The SSE feed's JSON for one event (packages/server/src/events/feed-request.ts feedEventJson). */
export function feedEvent(options: { topic: string; type: string; zoneId: string; streamId: string; payload: unknown }): { id: string; data: unknown } {
  const cursor = `${options.topic}@${options.streamId}`;
  return {
    id: cursor,
    data: {
      topic: options.topic,
      type: options.type,
      zone_id: options.zoneId,
      outbox_id: `outbox-${options.streamId}`,
      stream_id: options.streamId,
      occurred_at: new Date(Number(options.streamId.split('-')[0])).toISOString(),
      payload: options.payload,
      cursor,
    },
  };
}
