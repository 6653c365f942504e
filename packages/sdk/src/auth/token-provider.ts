import { CaracalError } from '../errors.ts';
import type { Clock } from '../time/clock.ts';
import { SessionMandateCache } from './session-mandate-cache.ts';
import type { StsClient } from './sts-client.ts';

/**
 * Where the client's own session mandate comes from: a client secret (the SDK obtains and
 * refreshes it), a fixed subject token, or a function the application supplies.
 * @internal
 */
export type Credentials =
  | { readonly kind: 'client-secret'; readonly clientId: string; readonly clientSecret: string }
  | { readonly kind: 'subject-token'; readonly subjectToken: string }
  | { readonly kind: 'token-source'; readonly tokenSource: () => Promise<string> | string };

/**
 * Returns the current session mandate. `current()` answers without waiting: the mandate in hand
 * while it is still valid (undefined when there is none, or when only an application callback
 * knows it), starting a refresh in the background when one is due. `invalidate(token)` drops a
 * mandate the server refused (401) and says whether the next call gets a fresh one: true for a
 * client secret, false for a fixed subject token; a `tokenSource` is simply asked again.
 * @internal
 */
export type TokenProvider = ((signal?: AbortSignal) => Promise<string>) & {
  readonly current: () => string | undefined;
  readonly invalidate: (refusedToken: string) => boolean;
};

/**
 * Builds the provider for a client's credentials. A `tokenSource` is called every time a token
 * is needed, so it should cache on its side; a client secret is cached here.
 * @internal
 */
export function createTokenProvider(credentials: Credentials, options: { sts: StsClient; clock: Clock }): TokenProvider {
  if (credentials.kind === 'subject-token') {
    const token = credentials.subjectToken;
    return Object.assign(() => Promise.resolve(token), { current: () => token, invalidate: () => false });
  }
  if (credentials.kind === 'token-source') {
    const source = credentials.tokenSource;
    const fromSource = async (): Promise<string> => {
      const token = await source();
      if (typeof token !== 'string' || token.length === 0) {
        throw new CaracalError('CONFIG_INVALID', 'tokenSource must return a non-empty string.', { setting: 'tokenSource' });
      }
      return token;
    };
    return Object.assign(fromSource, { current: () => undefined, invalidate: () => true });
  }
  const { clientId, clientSecret } = credentials;
  const cache = new SessionMandateCache({ clock: options.clock, fetch: () => options.sts.clientCredentials({ clientId, clientSecret }) });
  return Object.assign((signal?: AbortSignal) => cache.token(signal), { current: () => cache.current(), invalidate: (token: string) => cache.invalidate(token) });
}
