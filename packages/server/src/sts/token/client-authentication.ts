import { CLIENT_SECRET_MAX_LENGTH, NAME_PATTERN, type TokenRequestForm } from '@caracal/protocol';
import type { Database } from '../../db/database.ts';
import type { ServerError } from '../../http/server-error.ts';
import { findApplicationCredentials } from '../identity/application-repository.ts';
import type { ApplicationCredentials } from '../identity/identity-rows.ts';
import { oauthError, rateLimited } from '../http/oauth-error.ts';
import { GuessThrottle, type GuessReservation } from '../secrets/guess-throttle.ts';
import { decoySecretHash, verifySecret } from '../secrets/secret-hash.ts';
import { SecretVerificationCache } from '../secrets/secret-verification-cache.ts';

/** Client credentials as presented (RFC 6749 §2.3.1). */
export interface PresentedClient {
  clientId: string;
  clientSecret: string;
  method: 'client_secret_basic' | 'client_secret_post';
  /** The address the request came from (the throttle's key). */
  sourceAddress: string;
}

const CLIENT_ID = new RegExp(NAME_PATTERN);

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
  sourceAddress: string,
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
    return { clientId, clientSecret, method: 'client_secret_basic', sourceAddress };
  }
  if (formSecret !== undefined) {
    if (formClientId === undefined) throw oauthError('invalid_request', 'client_secret without client_id');
    return { clientId: formClientId, clientSecret: formSecret, method: 'client_secret_post', sourceAddress };
  }
  return undefined;
}

/**
 * Authenticates applications by secret: an in-memory verification cache on a hit, else scrypt,
 * each scrypt check reserved from the guess throttle first (docs/sts.md, "Guessing limits").
 */
export class ClientAuthenticator {
  readonly #database: Database;
  readonly #cache: SecretVerificationCache;
  readonly #throttle: GuessThrottle;

  constructor(options: { database: Database; now: () => number }) {
    this.#database = options.database;
    this.#cache = new SecretVerificationCache({ now: options.now });
    this.#throttle = new GuessThrottle({ now: options.now });
  }

  async authenticate(presented: PresentedClient): Promise<ApplicationCredentials> {
    const { clientId, clientSecret, sourceAddress } = presented;
    // A client id no application can have is refused before any lookup (and names nothing in the database).
    if (!CLIENT_ID.test(clientId) || clientSecret.length > CLIENT_SECRET_MAX_LENGTH) throw invalidClient('client authentication failed');
    const application = await findApplicationCredentials(this.#database, clientId);
    if (application !== undefined && this.#cache.has(application.secretHash, clientSecret)) {
      this.#throttle.prove(clientId, sourceAddress);
      return application;
    }
    // Reserved in the same synchronous step as the look, before scrypt: parallel guesses cannot overrun it.
    const reservation = this.#throttle.reserve(clientId, sourceAddress);
    if (!reservation.allowed) throw refusal(clientId, reservation);
    // An unknown client id costs the same scrypt as a wrong secret, so timing does not reveal which ids exist.
    const correct = await verifySecret(clientSecret, application?.secretHash ?? (await decoySecretHash()));
    reservation.settle(correct && application !== undefined);
    if (application === undefined || !correct) throw invalidClient('client authentication failed');
    this.#cache.remember(application.secretHash, clientSecret);
    return application;
  }
}

function refusal(clientId: string, refused: Extract<GuessReservation, { allowed: false }>): ServerError {
  const from =
    refused.reason === 'address'
      ? 'from this address'
      : refused.reason === 'client'
        ? `for client ${clientId} from addresses it has not authenticated from`
        : `for client ${clientId} from this address`;
  return rateLimited(`too many failed authentications ${from}; retry later`, refused.retryAfterSeconds);
}
