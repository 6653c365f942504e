import { describe, expect, it } from 'vitest';
// The SDK's public verifier, as published (built): what a receiver runs against this server's entries.
import { eventSignatureVerifier } from '@caracal/sdk/verify';
import { encodeBusFields } from '../../src/events/bus-event.ts';
import { ALL_TOPICS } from '../../src/events/topics.ts';

describe('event signatures across the wire', () => {
  it('verify with the SDK for entries the server signed, on every topic, and only with its secret and topic', () => {
    const verify = eventSignatureVerifier('shared-secret');
    const stranger = eventSignatureVerifier('another-secret');
    for (const topic of ALL_TOPICS) {
      const fields = encodeBusFields(
        topic,
        { outboxId: '7', type: 'session_terminated', zoneId: 'zone_a', payload: { session_id: 'agentsess_1', note: 'a "quoted", [bracketed] value' }, occurredAt: '2026-01-01T00:00:00.000Z' },
        { publishedBy: 'host:1', signingSecret: 'shared-secret' },
      );
      expect(verify(fields, topic)).toBe(true);
      expect(stranger(fields, topic)).toBe(false);
      expect(verify({ ...fields, zone_id: 'zone_b' }, topic)).toBe(false);
      const elsewhere = ALL_TOPICS.find((other) => other !== topic)!;
      expect(verify(fields, elsewhere)).toBe(false);
    }
  });
});
