import { describe, expect, it } from 'vitest';
import type { PublishedEvent } from '../../src/events/bus-event.ts';
import { eventForViewer, feedViewerOf, type FeedViewer } from '../../src/events/feed-visibility.ts';
import { Topics } from '../../src/events/topics.ts';

const event = (topic: string, type: string, payload: unknown): PublishedEvent => ({
  topic,
  type,
  payload,
  streamId: '1-0',
  outboxId: '1',
  zoneId: 'zone_a',
  occurredAt: '2030-01-01T00:00:00.000Z',
  publishedBy: 'test',
});

const alpha: FeedViewer = { operator: false, applicationId: 'app_alpha' };
const gamma: FeedViewer = { operator: false, applicationId: 'app_gamma' };

describe('eventForViewer (what an application sees on the zone feed)', () => {
  const spawned = event(Topics.agentsLifecycle, 'session_spawned', { agent_session_id: 'agentsess_a', application_id: 'app_alpha', parent_id: null });
  const revoked = event(Topics.sessionsRevoke, 'session_revoked', {
    agent_session_id: 'agentsess_a',
    application_id: 'app_alpha',
    session_sid: 'label',
    reason: 'terminated',
    revoked_at: '2030-01-01T00:00:00.000Z',
  });
  const edgeRevoked = event(Topics.delegationsInvalidate, 'edge_revoke', {
    delegation_edge_id: 'deledge_e',
    source_session_id: 'agentsess_a',
    target_session_id: 'agentsess_b',
    issuer_application_id: 'app_alpha',
    receiver_application_id: 'app_beta',
    epoch: 3,
  });

  it('shows a party and an operator the whole event', () => {
    expect(eventForViewer(spawned, alpha)).toBe(spawned);
    expect(eventForViewer(revoked, alpha)).toBe(revoked);
    expect(eventForViewer(edgeRevoked, { operator: false, applicationId: 'app_beta' })).toBe(edgeRevoked);
    for (const any of [spawned, revoked, edgeRevoked]) expect(eventForViewer(any, { operator: true })).toBe(any);
  });

  it('shows others a revocation as the revoked id only, and nothing else', () => {
    expect(eventForViewer(revoked, gamma)?.payload).toEqual({ agent_session_id: 'agentsess_a', revoked_at: '2030-01-01T00:00:00.000Z' });
    expect(eventForViewer(edgeRevoked, gamma)?.payload).toEqual({ delegation_edge_id: 'deledge_e' });
    expect(eventForViewer(spawned, gamma)).toBeUndefined();
    expect(eventForViewer(event(Topics.delegationsInvalidate, 'edge_expire', { delegation_edge_id: 'deledge_e' }), gamma)).toBeUndefined();
  });

  it('hides events that name no party (an older server\'s) or a revocation type on another topic, and survives any payload', () => {
    expect(eventForViewer(event(Topics.invocationsLifecycle, 'invocation_created', { agent_session_id: 'agentsess_a' }), gamma)).toBeUndefined();
    expect(eventForViewer(event(Topics.agentsLifecycle, 'session_revoked', { agent_session_id: 'agentsess_a' }), gamma)).toBeUndefined();
    for (const payload of [null, 'text', 7, ['app_gamma'], { application_id: ['app_gamma'] }]) {
      expect(eventForViewer(event(Topics.agentsLifecycle, 'session_spawned', payload), gamma)).toBeUndefined();
    }
    expect(eventForViewer(event(Topics.sessionsRevoke, 'constructor', {}), gamma)).toBeUndefined();
  });

  it('makes operators of mandates with caracal:admin only', () => {
    const principal = { clientId: 'app_alpha', zoneId: 'zone_a', scopes: new Set(['agent:lifecycle']), use: 'session', admin: false, claims: {} };
    expect(feedViewerOf(principal)).toEqual(alpha);
    expect(feedViewerOf({ ...principal, use: 'operator', admin: true })).toEqual({ operator: true });
  });
});
