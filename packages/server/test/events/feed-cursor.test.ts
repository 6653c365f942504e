import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFeedCursor, parseFeedCursor } from '../../src/events/feed-cursor.ts';
import { ALL_TOPICS } from '../../src/events/topics.ts';

describe('feed cursor', () => {
  it('round-trips every topic position, sorted by topic', () => {
    const cursor = new Map([
      ['caracal.sessions.revoke', '1731000000002-0'],
      ['caracal.agents.lifecycle', '1731000000000-3'],
    ]);
    const text = formatFeedCursor(cursor);
    expect(text).toBe('caracal.agents.lifecycle@1731000000000-3,caracal.sessions.revoke@1731000000002-0');
    expect(parseFeedCursor(text, ALL_TOPICS)).toEqual(cursor);
  });

  it('ignores topics the feed does not carry and refuses text that is not a cursor', () => {
    expect(parseFeedCursor('caracal.agents.lifecycle@1-0,other.topic@2-0', ['caracal.agents.lifecycle'])).toEqual(
      new Map([['caracal.agents.lifecycle', '1-0']]),
    );
    for (const bad of ['', 'garbage', 'caracal.agents.lifecycle@', 'caracal.agents.lifecycle@12', '@1-0', 'a@1-0,,b@2-0']) {
      expect(parseFeedCursor(bad, ALL_TOPICS)).toBeNull();
    }
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string(), (text) => void parseFeedCursor(text, ALL_TOPICS)));
  });
});
