import { describe, expect, it } from 'vitest';
import { decodeBusEntry, encodeBusFields } from '../../src/events/bus-event.ts';
import { canonicalFieldString, signEventFields, verifyEventFields } from '../../src/events/event-signature.ts';
import { compareStreamIds } from '../../src/events/stream-id.ts';

describe('event signature', () => {
  it('signs the topic and every field but the signature, unambiguously', () => {
    expect(canonicalFieldString('t', { b: '2', a: '1', signature: 'x' })).toBe('["t",["a","1"],["b","2"]]');
    // Moving a separator between fields changes the signed string.
    expect(canonicalFieldString('t', { a: '1,b', b: '' })).not.toBe(canonicalFieldString('t', { a: '1', b: 'b' }));
    const fields = { a: '1', b: '2' };
    const signed = { ...fields, signature: signEventFields('t', fields, 'k') };
    expect(verifyEventFields('t', signed, 'k')).toBe(true);
    expect(verifyEventFields('t', signed, 'other')).toBe(false);
    expect(verifyEventFields('t', { ...signed, extra: '' }, 'k')).toBe(false);
    expect(verifyEventFields('t', { ...signed, signature: 'zz' }, 'k')).toBe(false);
  });

  it('encodes outbox rows to flat string fields and decodes them back', () => {
    const fields = encodeBusFields(
      'caracal.agents.lifecycle',
      { outboxId: '42', type: 'session_spawned', zoneId: 'zone_a', payload: { id: 'agentsess_1' }, occurredAt: '2026-01-01T00:00:00.000Z' },
      { publishedBy: 'host:1', signingSecret: 'k' },
    );
    expect(Object.keys(fields).sort()).toEqual(['occurred_at', 'outbox_id', 'payload', 'published_by', 'signature', 'type', 'zone_id']);
    expect(decodeBusEntry('caracal.agents.lifecycle', { id: '1-0', fields }, 'k')).toEqual({
      ok: true,
      event: {
        topic: 'caracal.agents.lifecycle',
        streamId: '1-0',
        outboxId: '42',
        type: 'session_spawned',
        zoneId: 'zone_a',
        payload: { id: 'agentsess_1' },
        occurredAt: '2026-01-01T00:00:00.000Z',
        publishedBy: 'host:1',
      },
    });
    expect(decodeBusEntry('caracal.sessions.revoke', { id: '1-0', fields }, 'k')).toEqual({ ok: false, reason: 'forged' });
  });
});

describe('Redis stream replies', () => {
  it('orders stream ids numerically beyond float precision', () => {
    expect(compareStreamIds('2-0', '10-0')).toBe(-1);
    expect(compareStreamIds('1-10', '1-9')).toBe(1);
    expect(compareStreamIds('18446744073709551615-1', '18446744073709551615-0')).toBe(1);
  });
});
