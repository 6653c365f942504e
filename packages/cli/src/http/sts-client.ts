import { CLIENT_CREDENTIALS_GRANT } from '@caracal/protocol/constants';
import type { TokenRequestForm, TokenResponse } from '@caracal/protocol';
import { CliError } from '../errors.ts';
import { requestJson } from './request-json.ts';
import { expectObject } from './response-shape.ts';

/**
 * `grant_type=client_credentials` at the STS: the session mandate an application's agents use to
 * spawn sessions and record delegations. Only the demo needs it; agents use the SDK.
 */
export async function fetchSessionMandate(options: { url: string; clientId: string; clientSecret: string; scope?: string }): Promise<string> {
  const form: TokenRequestForm = { grant_type: CLIENT_CREDENTIALS_GRANT, client_id: options.clientId, client_secret: options.clientSecret, scope: options.scope };
  const body = expectObject<TokenResponse>(await requestJson({ method: 'POST', url: `${options.url}/oauth/2/token`, form }), 'client credentials grant');
  if (typeof body.access_token !== 'string') throw new CliError('invalid_response', 'client credentials grant: the server returned no access_token');
  return body.access_token;
}
