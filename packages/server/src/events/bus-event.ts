import type { EventFields } from '@caracal/protocol';
import type { BusEntry } from './event-bus.ts';
import { signEventFields, verifyEventFields } from './event-signature.ts';

/** A verified event as receivers see it (relay listeners, live feeds). */
export interface PublishedEvent {
  topic: string;
  /** Position in the topic's stream. */
  streamId: string;
  /** The outbox row id: the same event published twice carries the same one. */
  outboxId: string;
  type: string;
  zoneId: string;
  payload: unknown;
  /** When the state change happened (the outbox row's `created_at`). */
  occurredAt: string;
  /** Which publisher instance sent it. */
  publishedBy: string;
}

/** What the publisher knows about a row when it sends it. */
export interface OutgoingEvent {
  outboxId: string;
  type: string;
  zoneId: string;
  payload: unknown;
  occurredAt: string;
}

/** The flat string fields of a bus entry (the wire contract's EventFields), signed last over all the others. */
export function encodeBusFields(
  topic: string,
  event: OutgoingEvent,
  options: { publishedBy: string; signingSecret: string },
): EventFields {
  const unsigned: Omit<EventFields, 'signature'> = {
    outbox_id: event.outboxId,
    type: event.type,
    zone_id: event.zoneId,
    payload: JSON.stringify(event.payload ?? null),
    occurred_at: event.occurredAt,
    published_by: options.publishedBy,
  };
  return { ...unsigned, signature: signEventFields(topic, unsigned, options.signingSecret) };
}

export type DecodedBusEntry =
  | { ok: true; event: PublishedEvent }
  | { ok: false; reason: 'forged' | 'malformed' };

/** Verifies the origin signature first, then decodes; never throws on what the wire carries. */
export function decodeBusEntry(topic: string, entry: BusEntry, signingSecret: string): DecodedBusEntry {
  if (!verifyEventFields(topic, entry.fields, signingSecret)) return { ok: false, reason: 'forged' };
  const { outbox_id: outboxId, type, zone_id: zoneId, payload, occurred_at: occurredAt, published_by: publishedBy }: Partial<EventFields> = entry.fields;
  if (outboxId === undefined || type === undefined || zoneId === undefined || payload === undefined) {
    return { ok: false, reason: 'malformed' };
  }
  let parsedPayload: unknown;
  try {
    parsedPayload = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  return {
    ok: true,
    event: {
      topic,
      streamId: entry.id,
      outboxId,
      type,
      zoneId,
      payload: parsedPayload,
      occurredAt: occurredAt ?? '',
      publishedBy: publishedBy ?? '',
    },
  };
}
