import type { FastifyInstance } from 'fastify';
import { requireForm, requiredParameter } from '../http/form-body.ts';
import { stsLogSerializers } from '../http/log-redaction.ts';
import { oauthError } from '../http/oauth-error.ts';
import type { StsRuntime, TokenResponse } from '../sts-runtime.ts';
import { readClientCredentials } from './client-authentication.ts';
import { clientCredentialsGrant } from './client-credentials-grant.ts';
import { TOKEN_EXCHANGE_GRANT, tokenExchangeGrant } from './token-exchange-grant.ts';

/** `POST /oauth/2/token`: client_credentials and RFC 8693 token exchange. */
export function registerTokenRoute(app: FastifyInstance, runtime: StsRuntime): void {
  app.post('/oauth/2/token', { logSerializers: stsLogSerializers }, async (request, reply) => {
    const form = requireForm(request.body);
    const grantType = requiredParameter(form, 'grant_type');
    const presented = readClientCredentials(request.headers.authorization, form);
    let response: TokenResponse;
    switch (grantType) {
      case 'client_credentials':
        response = await clientCredentialsGrant(runtime, form, presented);
        break;
      case TOKEN_EXCHANGE_GRANT:
        response = await tokenExchangeGrant(runtime, form, presented);
        break;
      default:
        throw oauthError('unsupported_grant_type', `grant_type ${grantType.slice(0, 80)} is not supported`);
    }
    // RFC 6749 §5.1: token responses must never be cached.
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return response;
  });
}
