import { CLIENT_SECRET_MAX_LENGTH, NAME_MAX_LENGTH, type TokenRequestForm } from '@caracal/protocol';
import type { Database } from '../../db/database.ts';
import type { ServerError } from '../../http/server-error.ts';
import { findApplicationCredentials } from '../identity/application-repository.ts';
import type { ApplicationCredentials } from '../identity/identity-rows.ts';
import { oauthError, rateLimited } from '../http/oauth-error.ts';
import { TokenBucketLimiter } from '../http/token-bucket.ts';
import { decoySecretHash, verifySecret } from '../secrets/secret-hash.ts';
import { SecretVerificationCache } from '../secrets/secret-verification-cache.ts';

/** Client credentials as presented (RFC 6749 §2.3.1). */
export interface PresentedClient {
  clientId: string;
  clientSecret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

/** Failed authentications allowed per client id per minute before it is refused outright. */
const FAILURES_PER_MINUTE = 10;

const CHALLENGE = { 'www-authenticate': 'Basic realm="caracal", charset="UTF-8"' };

export function invalidClient(description: string): ServerError {
  return oauthError('invalid_client', description, { headers: CHALLENGE });
}

/** Basic credentials are form-encoded before base64 (RFC 6749 §2.3.1). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replaceAll('+', ' '));
}

/**
 * Reads credentials from `Authorization: Basic` or the form. Using both methods at once is a
 * malformed request (RFC 6749 §2.3); undefined when the request carries none.
 */
export function readClientCredentials(
  authorization: string | undefined,
  form: Pick<TokenRequestForm, 'client_id' | 'client_secret'>,
): PresentedClient | undefined {
  const formClientId = form.client_id;
  const formSecret = form.client_secret;
  if (typeof authorization === 'string' && /^basic /i.test(authorization)) {
    if (formSecret !== undefined) throw oauthError('invalid_request', 'use one client authentication method, not Basic and client_secret both');
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidClient('the Basic credentials are malformed');
    let clientId: string;
    let clientSecret: string;
    try {
      clientId = formDecode(decoded.slice(0, colon));
      clientSecret = formDecode(decoded.slice(colon + 1));
    } catch {
      throw invalidClient('the Basic credentials are malformed');
    }
    if (formClientId !== undefined && formClientId !== clientId) {
      throw oauthError('invalid_request', 'client_id differs from the Basic credentials');
    }
    return { clientId, clientSecret, method: 'client_secret_basic' };
  }
  if (formSecret !== undefined) {
    if (formClientId === undefined) throw oauthError('invalid_request', 'client_secret without client_id');
    return { clientId: formClientId, clientSecret: formSecret, method: 'client_secret_post' };
  }
  return undefined;
}

/**
 * Authenticates applications by secret: scrypt on a miss, an in-memory verification cache on a
 * hit, and at most 10 failures per client id per minute (then 429 for that client, even with the
 * right secret, until the bucket refills).
 */
export class ClientAuthenticator {
  readonly #database: Database;
  readonly #cache: SecretVerificationCache;
  readonly #failures: TokenBucketLimiter;

  constructor(options: { database: Database; now: () => number }) {
    this.#database = options.database;
    this.#cache = new SecretVerificationCache({ now: options.now });
    this.#failures = new TokenBucketLimiter({ capacity: FAILURES_PER_MINUTE, refillMilliseconds: 60_000, now: options.now });
  }

  async authenticate(presented: PresentedClient): Promise<ApplicationCredentials> {
    const { clientId, clientSecret } = presented;
    if (clientId.length === 0 || clientId.length > NAME_MAX_LENGTH || clientSecret.length > CLIENT_SECRET_MAX_LENGTH) {
      throw invalidClient('client authentication failed');
    }
    const gate = this.#failures.peek(clientId);
    if (!gate.allowed) throw rateLimited(`too many failed authentications for client ${clientId}; retry later`, gate.retryAfterSeconds);
    const application = await findApplicationCredentials(this.#database, clientId);
    if (application === undefined) {
      await verifySecret(clientSecret, await decoySecretHash());
      this.#failures.take(clientId);
      throw invalidClient('client authentication failed');
    }
    if (this.#cache.has(application.secretHash, clientSecret)) return application;
    if (!(await verifySecret(clientSecret, application.secretHash))) {
      this.#failures.take(clientId);
      throw invalidClient('client authentication failed');
    }
    this.#cache.remember(application.secretHash, clientSecret);
    return application;
  }
}
