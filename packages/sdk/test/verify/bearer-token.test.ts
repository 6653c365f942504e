import { describe, expect, it } from 'vitest';
import { bearerToken, mandateRefusalReason } from '../../src/verify/index.ts';

function reason(header: Parameters<typeof bearerToken>[0]): string | undefined {
  try {
    bearerToken(header);
    return undefined;
  } catch (error) {
    return mandateRefusalReason(error);
  }
}

describe('bearerToken', () => {
  it('reads the token of a Bearer credential, in any scheme case', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer  abc-_.~+/=')).toBe('abc-_.~+/=');
  });

  it('refuses missing, foreign and repeated credentials', () => {
    expect(reason(undefined)).toBe('missing_token');
    expect(reason('')).toBe('missing_token');
    expect(reason('Basic dXNlcjpwYXNz')).toBe('missing_token');
    expect(reason('Bearer a b')).toBe('missing_token');
    expect(reason(['Bearer a', 'Bearer b'])).toBe('malformed');
  });
});
