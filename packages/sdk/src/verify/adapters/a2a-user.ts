import type { IncomingMessage } from 'node:http';
import type { CaracalIncomingMessage } from './attach-verified.ts';
import type { VerifiedRequest } from './authenticate.ts';

/**
 * `@a2a-js/sdk`'s `User`, structurally, carrying the verified Caracal request.
 * @since 0.1.0
 */
export interface CaracalA2AUser {
  readonly isAuthenticated: boolean;
  /** The caller's agent session, or its application when the mandate has no session. */
  readonly userName: string;
  readonly caracal: VerifiedRequest | undefined;
}

/**
 * A `userBuilder` for `@a2a-js/sdk`'s Express handlers (`jsonRpcHandler`, `restHandler`): mount
 * `verifyExpress` in front of them and the agent executor sees the verified caller as
 * `requestContext.context.user`. Requests that did not pass through Caracal are unauthenticated.
 * @example
 * app.use('/a2a/jsonrpc', verifyExpress({ verifier }), jsonRpcHandler({ requestHandler, userBuilder: a2aUserBuilder }));
 * @since 0.1.0
 */
export async function a2aUserBuilder(request: IncomingMessage): Promise<CaracalA2AUser> {
  const caracal = (request as CaracalIncomingMessage).caracal;
  if (caracal === undefined) return { isAuthenticated: false, userName: '', caracal: undefined };
  return { isAuthenticated: true, userName: caracal.claims.agent_session_id ?? caracal.claims.client_id, caracal };
}
