import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { LegacyPostEventBody, ListSessionEventsQuery, PostEventsBody, SeedSessionStatus, TIMELINE_BATCH_MAX_ITEMS } from '../src/index.ts';

describe('timeline schemas', () => {
  it('takes one event or a batch of 1 to TIMELINE_BATCH_MAX_ITEMS events, and nothing else', () => {
    const post = Compile(PostEventsBody);
    expect(post.Check({ event_type: 'run_start' })).toBe(true);
    expect(post.Check([{ event_type: 'a' }, { event_type: 'b', tool_input: { q: 1 } }])).toBe(true);
    expect(post.Check(Array.from({ length: TIMELINE_BATCH_MAX_ITEMS }, () => ({ event_type: 'x' })))).toBe(true);
    expect(post.Check(Array.from({ length: TIMELINE_BATCH_MAX_ITEMS + 1 }, () => ({ event_type: 'x' })))).toBe(false);
    expect(post.Check([])).toBe(false);
    expect(post.Check({})).toBe(false);
    expect(post.Check({ event_type: 'a', session_status: 'stopped' })).toBe(false);
    expect(post.Check({ event_type: 'a', id: 5 })).toBe(false);
  });

  it('reads event_type and source filters as comma lists of valid names', () => {
    const query = Compile(ListSessionEventsQuery);
    expect(query.Check({ event_type: 'pre_tool,post_tool', source: 'agent,sts' })).toBe(true);
    expect(query.Check({ event_type: 'pre_tool,' })).toBe(false);
    expect(query.Check({ source: 'agent,user' })).toBe(false);
  });

  it('lets legacy posts name a session only by its agent session id', () => {
    const legacy = Compile(LegacyPostEventBody);
    expect(legacy.Check({ event_type: 'm' })).toBe(true);
    expect(legacy.Check({ event_type: 'm', session_id: `agentsess_${'0'.repeat(26)}` })).toBe(true);
    expect(legacy.Check({ event_type: 'm', session_id: 'ses_client_made' })).toBe(false);
  });

  it('answers a run status or not_existent', () => {
    const status = Compile(SeedSessionStatus);
    expect(status.Check({ status: 'not_existent' })).toBe(true);
    expect(status.Check({ status: 'idle' })).toBe(true);
    expect(status.Check({ status: 'active' })).toBe(false);
  });
});
