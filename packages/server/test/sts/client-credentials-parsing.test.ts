import { describe, expect, it } from 'vitest';
import { readClientCredentials } from '../../src/sts/token/client-authentication.ts';

const form = (fields: { client_id?: string; client_secret?: string }) => fields;
const ADDRESS = '192.0.2.1';
const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;

describe('readClientCredentials', () => {
  it('decodes Basic credentials as form-encoded values (RFC 6749 §2.3.1)', () => {
    expect(readClientCredentials(basic('app%3Aone:p%40ss+word%25'), form({}), ADDRESS)).toEqual({
      clientId: 'app:one',
      clientSecret: 'p@ss word%',
      method: 'client_secret_basic',
      sourceAddress: ADDRESS,
    });
  });

  it('reads form credentials, and nothing when none are given', () => {
    expect(readClientCredentials(undefined, form({ client_id: 'a', client_secret: 'b' }), ADDRESS)).toEqual({ clientId: 'a', clientSecret: 'b', method: 'client_secret_post', sourceAddress: ADDRESS });
    expect(readClientCredentials(undefined, form({ client_id: 'a' }), ADDRESS)).toBeUndefined();
    expect(readClientCredentials('Bearer x', form({}), ADDRESS)).toBeUndefined();
  });

  it('refuses malformed Basic, a secret without id, and conflicting client ids', () => {
    expect(() => readClientCredentials(basic('no-colon'), form({}), ADDRESS)).toThrow(expect.objectContaining({ code: 'invalid_client' }));
    expect(() => readClientCredentials(basic('a:%zz'), form({}), ADDRESS)).toThrow(expect.objectContaining({ code: 'invalid_client' }));
    expect(() => readClientCredentials(undefined, form({ client_secret: 'b' }), ADDRESS)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => readClientCredentials(basic('a:b'), form({ client_id: 'c' }), ADDRESS)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});
