import { describe, expect, it } from 'vitest';
import { addEdge, addSession, applyFeedEvent, edgeFromRow, emptyAuthority, sessionFromRow } from '../src/model/authority-state.ts';
import { edgeRow, sessionRow } from './fixtures.ts';

function zone() {
  const state = emptyAuthority();
  addSession(state, sessionFromRow(sessionRow('agentsess_01', null)));
  addSession(state, sessionFromRow(sessionRow('agentsess_02', 'agentsess_01', { depth: 1 })));
  addEdge(state, edgeFromRow(edgeRow('deledge_01', 'agentsess_01', 'agentsess_02')));
  return state;
}

describe('zone feed reducer', () => {
  it('adds a spawned session under its parent, once', () => {
    const state = zone();
    const event = {
      type: 'session_spawned',
      payload: { agent_session_id: 'agentsess_03', application_id: 'app_b', parent_id: 'agentsess_02', depth: 2, kind: 'ephemeral' },
    };
    expect(applyFeedEvent(state, event)).toBe(true);
    expect(applyFeedEvent(state, event)).toBe(false);
    expect(state.sessions.get('agentsess_03')).toMatchObject({ parentId: 'agentsess_02', applicationId: 'app_b', depth: 2, kind: 'ephemeral', status: 'active' });
    expect(state.children.get('agentsess_02')).toEqual(['agentsess_03']);
    expect(state.sessions.get('agentsess_03')!.blueprint).toBeNull();
  });

  it('names the blueprint of a session spawned for a run, as its lifecycle event says', () => {
    const state = zone();
    applyFeedEvent(state, { type: 'session_spawned', payload: { agent_session_id: 'agentsess_04', application_id: 'app_b', parent_id: null, depth: 0, kind: 'root', agent_name: 'researcher' } });
    expect(state.sessions.get('agentsess_04')!.blueprint).toBe('researcher');
  });

  it('follows suspend, resume and terminate; a terminated session stays terminated', () => {
    const state = zone();
    applyFeedEvent(state, { type: 'session_suspended', payload: { agent_session_id: 'agentsess_02' } });
    expect(state.sessions.get('agentsess_02')!.status).toBe('suspended');
    applyFeedEvent(state, { type: 'session_resumed', payload: { agent_session_id: 'agentsess_02' } });
    expect(state.sessions.get('agentsess_02')!.status).toBe('active');
    applyFeedEvent(state, { type: 'session_terminated', payload: { agent_session_id: 'agentsess_02' } });
    expect(applyFeedEvent(state, { type: 'session_resumed', payload: { agent_session_id: 'agentsess_02' } })).toBe(false);
    expect(state.sessions.get('agentsess_02')!.status).toBe('terminated');
  });

  it('adds created edges and marks revoked and expired ones; a revoked edge never turns expired', () => {
    const state = zone();
    applyFeedEvent(state, {
      type: 'edge_create',
      payload: { delegation_edge_id: 'deledge_02', source_session_id: 'agentsess_02', target_session_id: 'agentsess_01', scopes: ['files:read'], resource_id: null, expires_at: 'x' },
    });
    expect(state.edges.get('deledge_02')).toMatchObject({ source: 'agentsess_02', target: 'agentsess_01', scopes: ['files:read'], status: 'active' });
    expect(state.outbound.get('agentsess_02')).toEqual(['deledge_02']);
    applyFeedEvent(state, { type: 'edge_revoke', payload: { delegation_edge_id: 'deledge_01' } });
    applyFeedEvent(state, { type: 'edge_expire', payload: { delegation_edge_id: 'deledge_01' } });
    applyFeedEvent(state, { type: 'edge_expire', payload: { delegation_edge_id: 'deledge_02' } });
    expect(state.edges.get('deledge_01')!.status).toBe('revoked');
    expect(state.edges.get('deledge_02')!.status).toBe('expired');
  });

  it('ignores unknown types, unknown ids and payloads of the wrong shape, and counts only real changes', () => {
    const state = zone();
    const before = state.version;
    expect(applyFeedEvent(state, { type: 'invocation_cancelled', payload: { agent_session_id: 'agentsess_01' } })).toBe(false);
    expect(applyFeedEvent(state, { type: 'session_terminated', payload: { agent_session_id: 'agentsess_unknown' } })).toBe(false);
    expect(applyFeedEvent(state, { type: 'session_terminated', payload: null })).toBe(false);
    expect(applyFeedEvent(state, { type: 'edge_revoke', payload: { delegation_edge_id: 42 } })).toBe(false);
    expect(state.version).toBe(before);
  });
});
