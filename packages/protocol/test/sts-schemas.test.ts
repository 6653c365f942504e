import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { SCOPE_LIST_PATTERN, SCOPE_MAX_LENGTH, TokenRequestForm, VerifyBody } from '../src/index.ts';

describe('STS schemas', () => {
  it('reads a scope list as space-delimited scope tokens of the longest allowed length at most', () => {
    const list = new RegExp(SCOPE_LIST_PATTERN);
    for (const value of ['', 'tools:read', 'tools:read tools:call', '  tools:read   tools:call ', 's'.repeat(SCOPE_MAX_LENGTH)]) {
      expect(list.test(value), value).toBe(true);
    }
    for (const value of ['tools:"read"', 'a\\b', `x ${'s'.repeat(SCOPE_MAX_LENGTH + 1)}`, 'tab\tseparated']) {
      expect(list.test(value), value).toBe(false);
    }
  });

  // A pattern that backtracks badly would not finish this within the test timeout.
  it('refuses a long almost-valid scope list', () => {
    expect(new RegExp(SCOPE_LIST_PATTERN).test(`${'a'.repeat(60_000)}"`)).toBe(false);
    expect(new RegExp(SCOPE_LIST_PATTERN).test(`${'a '.repeat(30_000)}"`)).toBe(false);
  });

  it('checks the token form field by field, leaving unknown parameters alone', () => {
    const form = Compile(TokenRequestForm);
    expect(form.Check({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'x', scope: 'a b', unknown: 'kept' })).toBe(true);
    expect(form.Check({ grant_type: 'x', agent_session_id: 'not-a-session' })).toBe(false);
    expect(form.Check({ grant_type: 'x', resource: 'no-scheme' })).toBe(false);
    expect(form.Check({ grant_type: 'x', subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' })).toBe(false);
    expect(form.Check({ scope: 'a' })).toBe(false);
  });

  it('takes verify fields as absent, null, or of their type; required_scopes as a list or a string', () => {
    const body = Compile(VerifyBody);
    expect(body.Check({})).toBe(true);
    expect(body.Check({ token: null, required_scopes: null, require_agent: null, max_hops: null, audience: null })).toBe(true);
    expect(body.Check({ token: 't', required_scopes: ['a', 'b'], max_hops: 32 })).toBe(true);
    expect(body.Check({ token: 't', required_scopes: 'a b' })).toBe(true);
    expect(body.Check({ token: '' })).toBe(false);
    expect(body.Check({ max_hops: 33 })).toBe(false);
    expect(body.Check({ extra: 1 })).toBe(false);
  });
});
