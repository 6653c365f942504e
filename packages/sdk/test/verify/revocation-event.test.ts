import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DELEGATIONS_INVALIDATE_TOPIC, eventSignatureVerifier, SESSIONS_REVOKE_TOPIC } from '../../src/verify/index.ts';
import { parseRevocationEvent } from '../../src/verify/revocation/revocation-event.ts';

describe('parseRevocationEvent', () => {
  it('reads session and edge ids from a Redis entry (payload as JSON text)', () => {
    const fields = { outbox_id: '7', type: 'session_revoked', zone_id: 'zone_a', payload: JSON.stringify({ session_id: 'agentsess_1', edge_ids: ['deledge_1', 'deledge_2'] }), signature: 'x' };
    expect(parseRevocationEvent(fields, SESSIONS_REVOKE_TOPIC)).toEqual({ sessionIds: ['agentsess_1'], edgeIds: ['deledge_1', 'deledge_2'], zoneId: 'zone_a' });
  });

  it('reads a feed event (payload as an object, topic in the JSON)', () => {
    const fields = { topic: SESSIONS_REVOKE_TOPIC, type: 'session_terminated', zone_id: 'zone_a', payload: { agent_session_id: 'agentsess_1', edge_id: 'deledge_9' } };
    expect(parseRevocationEvent(fields)).toEqual({ sessionIds: ['agentsess_1'], edgeIds: ['deledge_9'], zoneId: 'zone_a' });
  });

  it('takes only revocations from the invalidation topic', () => {
    const created = { type: 'edge_create', zone_id: 'zone_a', payload: { edge_id: 'deledge_1', target_session_id: 'agentsess_t' } };
    expect(parseRevocationEvent(created, DELEGATIONS_INVALIDATE_TOPIC)).toMatchObject({ sessionIds: [], edgeIds: [] });
    const revoked = { type: 'edge_revoked', zone_id: 'zone_a', payload: { edge_id: 'deledge_1', revoked_edges: ['deledge_2'] } };
    expect(parseRevocationEvent(revoked, DELEGATIONS_INVALIDATE_TOPIC)).toMatchObject({ edgeIds: ['deledge_1', 'deledge_2'] });
  });

  it('reads the Coordinator\'s termination events (packages/server/src/coordinator/sessions/termination-sql.ts)', () => {
    const sessionRevoked = { type: 'session_revoked', zone_id: 'zone_a', payload: JSON.stringify({ agent_session_id: 'agentsess_1', application_id: 'app_a', reason: 'terminated' }) };
    expect(parseRevocationEvent(sessionRevoked, SESSIONS_REVOKE_TOPIC)).toEqual({ sessionIds: ['agentsess_1'], edgeIds: [], zoneId: 'zone_a' });
    // An edge revoked because one end was terminated: the other end's session lives on.
    const edgeRevoke = { type: 'edge_revoke', zone_id: 'zone_a', payload: { delegation_edge_id: 'deledge_1', source_session_id: 'agentsess_1', target_session_id: 'agentsess_2', epoch: 4 } };
    expect(parseRevocationEvent(edgeRevoke, DELEGATIONS_INVALIDATE_TOPIC)).toEqual({ sessionIds: [], edgeIds: ['deledge_1'], zoneId: 'zone_a' });
  });

  it('never reads the caller-chosen session_sid: another application could set it to a victim\'s session id (F1)', () => {
    const forged = {
      type: 'session_revoked',
      zone_id: 'zone_a',
      payload: JSON.stringify({ agent_session_id: 'agentsess_attacker', session_sid: 'agentsess_victim', application_id: 'app_attacker' }),
    };
    expect(parseRevocationEvent(forged, SESSIONS_REVOKE_TOPIC)).toEqual({ sessionIds: ['agentsess_attacker'], edgeIds: [], zoneId: 'zone_a' });
  });

  it('ignores counts, junk payloads and non-string ids', () => {
    expect(parseRevocationEvent({ payload: '{broken', type: 'x' }, SESSIONS_REVOKE_TOPIC)).toMatchObject({ sessionIds: [], edgeIds: [] });
    expect(parseRevocationEvent({ payload: { revoked_edges: 3, session_id: 42, session_ids: ['ok', 7, ''] } }, SESSIONS_REVOKE_TOPIC)).toMatchObject({ sessionIds: ['ok'], edgeIds: [] });
  });
});

describe('eventSignatureVerifier', () => {
  const secret = 'event-signing-secret';
  /** Signs the way packages/server/src/events/event-signature.ts does. */
  function sign(topic: string, fields: Record<string, string>): string {
    const names = Object.keys(fields).sort();
    return createHmac('sha256', secret).update(JSON.stringify([topic, ...names.map((name) => [name, fields[name]])])).digest('hex');
  }

  it('accepts the server signature and refuses forgeries, other topics and unsigned entries', () => {
    const verify = eventSignatureVerifier(secret);
    const fields = { outbox_id: '1', type: 'session_revoked', zone_id: 'zone_a', payload: '{"session_id":"agentsess_1"}', occurred_at: '2026-01-01T00:00:00Z', published_by: 'p1' };
    const signed = { ...fields, signature: sign(SESSIONS_REVOKE_TOPIC, fields) };
    expect(verify(signed, SESSIONS_REVOKE_TOPIC)).toBe(true);
    expect(verify(signed, DELEGATIONS_INVALIDATE_TOPIC)).toBe(false);
    expect(verify({ ...signed, payload: '{"session_id":"agentsess_2"}' }, SESSIONS_REVOKE_TOPIC)).toBe(false);
    expect(verify(fields, SESSIONS_REVOKE_TOPIC)).toBe(false);
    expect(() => eventSignatureVerifier('')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
