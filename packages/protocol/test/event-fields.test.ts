import { describe, expect, it } from 'vitest';
import { ALL_TOPICS, canonicalFieldString, SIGNATURE_FIELD, Topics } from '../src/index.ts';

describe('the event signing form', () => {
  it('is the topic then every field but the signature, sorted by name, as a JSON array', () => {
    expect(canonicalFieldString('t', { b: '2', a: '1', [SIGNATURE_FIELD]: 'x' })).toBe('["t",["a","1"],["b","2"]]');
    // JSON quoting: moving a separator between fields changes the text.
    expect(canonicalFieldString('t', { a: '1,b', b: '' })).not.toBe(canonicalFieldString('t', { a: '1', b: 'b' }));
  });

  it('names the four topics', () => {
    expect(ALL_TOPICS).toEqual([Topics.agentsLifecycle, Topics.invocationsLifecycle, Topics.delegationsInvalidate, Topics.sessionsRevoke]);
    expect(Topics.sessionsRevoke).toBe('caracal.sessions.revoke');
  });
});
