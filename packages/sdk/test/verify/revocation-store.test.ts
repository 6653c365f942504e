import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRevocationStore, REVOCATION_RETENTION_MS, type Revocation } from '../../src/verify/index.ts';

describe('createRevocationStore', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('knows revoked sessions and edges for exactly 24 hours', () => {
    const store = createRevocationStore();
    store.revoke({ sessionIds: ['agentsess_1'], edgeIds: ['deledge_1'] });
    expect(store.isRevoked({ sessionId: 'agentsess_1' })).toBe(true);
    expect(store.isRevoked({ edgeIds: ['deledge_0', 'deledge_1'] })).toBe(true);
    expect(store.isRevoked({ sessionId: 'agentsess_2', edgeIds: ['deledge_2'] })).toBe(false);

    vi.advanceTimersByTime(REVOCATION_RETENTION_MS - 1);
    expect(store.isRevoked({ sessionId: 'agentsess_1' })).toBe(true);
    vi.advanceTimersByTime(1);
    expect(store.isRevoked({ sessionId: 'agentsess_1' })).toBe(false);
    expect(store.isRevoked({ edgeIds: ['deledge_1'] })).toBe(false);
  });

  it('counts the 24 hours from the revocation time an event carries', () => {
    const store = createRevocationStore();
    store.revoke({ sessionIds: ['agentsess_old'], revokedAt: Date.now() - 23 * 3_600_000 });
    store.revoke({ sessionIds: ['agentsess_ancient'], revokedAt: Date.now() - 25 * 3_600_000 });
    expect(store.isRevoked({ sessionId: 'agentsess_old' })).toBe(true);
    expect(store.isRevoked({ sessionId: 'agentsess_ancient' })).toBe(false);
    vi.advanceTimersByTime(3_600_000);
    expect(store.isRevoked({ sessionId: 'agentsess_old' })).toBe(false);
  });

  it('a repeated revocation extends the retention', () => {
    const store = createRevocationStore();
    store.revoke({ sessionIds: ['agentsess_1'] });
    vi.advanceTimersByTime(12 * 3_600_000);
    store.revoke({ sessionIds: ['agentsess_1'] });
    vi.advanceTimersByTime(13 * 3_600_000);
    expect(store.isRevoked({ sessionId: 'agentsess_1' })).toBe(true);
  });

  it('is bounded: past maxEntries the oldest entry goes', () => {
    const store = createRevocationStore({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) store.revoke({ sessionIds: [id] });
    expect(['a', 'b', 'c', 'd'].map((id) => store.isRevoked({ sessionId: id }))).toEqual([false, true, true, true]);
  });

  it('tells listeners about each revocation, and stops after unsubscribe', () => {
    const store = createRevocationStore();
    const seen: Revocation[] = [];
    const unsubscribe = store.onRevoked((revocation) => seen.push(revocation));
    store.onRevoked(() => {
      throw new Error('a failing listener does not stop the others');
    });
    store.revoke({ sessionIds: ['agentsess_1'] });
    unsubscribe();
    store.revoke({ edgeIds: ['deledge_1'] });
    expect(seen).toEqual([{ sessionIds: ['agentsess_1'], edgeIds: [] }]);
  });

  it('names the revoked id it found', () => {
    const store = createRevocationStore();
    store.revoke({ edgeIds: ['deledge_2'] });
    expect(store.findRevoked({ sessionId: 'agentsess_1', sessionIds: ['agentsess_9'], edgeIds: ['deledge_1', 'deledge_2'] })).toBe('deledge_2');
  });
});
