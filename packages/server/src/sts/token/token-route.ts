import { CLIENT_CREDENTIALS_GRANT, ErrorBody, TOKEN_EXCHANGE_GRANT, TokenRequestForm, TokenResponse } from '@caracal/protocol';
import { refuseRepeatedFields, tokenFormRefusal } from '../http/form-body.ts';
import { stsLogSerializers } from '../http/log-redaction.ts';
import { oauthError } from '../http/oauth-error.ts';
import type { StsRuntime } from '../sts-runtime.ts';
import { readClientCredentials } from './client-authentication.ts';
import { clientCredentialsGrant } from './client-credentials-grant.ts';
import { tokenExchangeGrant } from './token-exchange-grant.ts';
import type { RoutePlugin } from '../../http/route-plugin.ts';

/** `POST /oauth/2/token`: client_credentials and RFC 8693 token exchange. */
export const tokenRoute: RoutePlugin<{ runtime: StsRuntime }> = async (app, { runtime }) => {
  app.post(
    '/oauth/2/token',
    {
      logSerializers: stsLogSerializers,
      preValidation: refuseRepeatedFields,
      schemaErrorFormatter: tokenFormRefusal,
      schema: { body: TokenRequestForm, response: { 200: TokenResponse, '4xx': ErrorBody } },
    },
    async (request, reply) => {
      const form = request.body;
      const presented = readClientCredentials(request.headers.authorization, form, request.ip);
      let response: TokenResponse;
      switch (form.grant_type) {
        case CLIENT_CREDENTIALS_GRANT:
          response = await clientCredentialsGrant(runtime, form, presented);
          break;
        case TOKEN_EXCHANGE_GRANT:
          response = await tokenExchangeGrant(runtime, form, presented);
          break;
        default:
          throw oauthError('unsupported_grant_type', `grant_type ${form.grant_type.slice(0, 80)} is not supported`);
      }
      // RFC 6749 §5.1: token responses must never be cached.
      void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      return response;
    },
  );
};
