import type { SessionEvent } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { applySessionFeedMessage, emptyTimeline, eventSummary, mergeEvents } from '../src/live/timeline-state.ts';
import { describeImpact } from '../src/model/impact-text.ts';

function event(id: number, eventType = 'message', details: Record<string, unknown> | null = null): SessionEvent {
  return {
    id,
    session_id: 'agentsess_01',
    run_id: null,
    event_type: eventType,
    source: details === null ? 'agent' : 'sts',
    timestamp: '2026-12-05T00:00:00.000Z',
    reported_at: null,
    tool_name: null,
    tool_input: null,
    tool_output: null,
    error: null,
    exit_code: null,
    reason: null,
    role: null,
    content: null,
    result_text: null,
    result_data: null,
    details,
  };
}

describe('timeline', () => {
  it('merges the history read and the live feed by event id, in server order', () => {
    let state = applySessionFeedMessage(emptyTimeline(), 'event', { type: 'event', data: event(5) });
    state = applySessionFeedMessage(state, 'event', { type: 'event', data: event(6) });
    state = mergeEvents(state, [event(3), event(4), event(5)]);
    expect(state.events.map((item) => item.id)).toEqual([3, 4, 5, 6]);
    state = applySessionFeedMessage(state, 'event', { type: 'event', data: event(6) });
    expect(state.events.map((item) => item.id)).toEqual([3, 4, 5, 6]);
  });

  it('keeps the session of init and of updates', () => {
    const session = { session_id: 'agentsess_01', status: 'running', agent_name: 'researcher' };
    let state = applySessionFeedMessage(emptyTimeline(), 'init', { type: 'init', sessions: [session] });
    expect(state.session?.agent_name).toBe('researcher');
    state = applySessionFeedMessage(state, 'session_updated', { type: 'session_updated', session: { ...session, status: 'finished' } });
    expect(state.session?.status).toBe('finished');
    expect(applySessionFeedMessage(state, 'run_failed', { type: 'run_failed' })).toBe(state);
  });

  it('summarises a mandate and a refusal', () => {
    expect(eventSummary(event(1, 'mandate_minted', { resource: 'mcp://tools', scopes: ['tools:call'] }))).toBe('mcp://tools · tools:call');
    expect(eventSummary(event(2, 'mandate_refused', { resource: 'mcp://tools', reason: 'edge_revoked' }))).toBe('mcp://tools · reason: edge_revoked');
  });
});

describe('dry-run impact', () => {
  it('states what each action cascades to', () => {
    const ids = { session_ids: [], edge_ids: [] };
    expect(describeImpact('terminate', { dry_run: true, terminated_sessions: 3, revoked_edges: 2, ...ids })).toBe('3 sessions will be terminated, 2 delegations revoked');
    expect(describeImpact('terminate', { dry_run: true, terminated_sessions: 1, revoked_edges: 1, ...ids })).toBe('1 session will be terminated, 1 delegation revoked');
    expect(describeImpact('suspend', { dry_run: true, suspended: 4, session_ids: [] })).toBe('4 sessions will be suspended');
    expect(describeImpact('resume', { dry_run: true, resumed: 0, session_ids: [] })).toBe('0 sessions will be resumed');
    expect(describeImpact('revoke', { dry_run: true, revoked_edges: 5, affected_sessions: 2, ...ids })).toBe('5 delegations will be revoked, 2 sessions affected');
  });
});
