import { idPatterns, type CreateDelegationBody } from '@caracal/protocol';
import type { CaracalContext } from '../model/caracal-context.ts';
import { checkPositiveInteger, checkSignal, checkText, checkTextList, invalidArgument, toWireConstraints } from './check-arguments.ts';
import type { DelegateOptions } from './spawn-options.ts';

const AGENT_SESSION_ID = new RegExp(idPatterns.agentSession);

function expiresAtText(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidArgument('expiresAt', 'must be a Date or an ISO 8601 timestamp');
  return date.toISOString();
}

/**
 * Checks delegate options and builds the `POST /zones/{zoneId}/delegations` body for an edge
 * from the context's session to `options.to`.
 * @internal
 */
export function delegationRequestBody(options: DelegateOptions, context: CaracalContext & { agentSessionId: string }): CreateDelegationBody {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options', 'must be an object');
  const target = checkText(options.to, 'to');
  if (target === undefined) throw invalidArgument('to', 'is required (the target agent session id)');
  // Checked here so a typo fails at once, naming the argument, not at the server with a regex.
  if (!AGENT_SESSION_ID.test(target)) {
    throw invalidArgument('to', `must be an agent session id as spawn() gives it (agentsess_ and 26 lower-case base32 characters), got ${JSON.stringify(target.slice(0, 64))}`);
  }
  const scopes = checkTextList(options.scopes, 'scopes');
  if (scopes === undefined) throw invalidArgument('scopes', 'is required');
  if (options.expiresAt !== undefined && options.ttlSeconds !== undefined) throw invalidArgument('expiresAt', 'and ttlSeconds exclude each other; give one');
  checkSignal(options.signal, 'signal');
  checkText(options.idempotencyKey, 'idempotencyKey');
  return {
    source_session_id: context.agentSessionId,
    target_session_id: target,
    issuer_application_id: context.clientId,
    receiver_application_id: checkText(options.toClientId, 'toClientId'),
    scopes,
    resource_id: checkText(options.resource, 'resource'),
    constraints: toWireConstraints(options.constraints, 'constraints'),
    expires_at: expiresAtText(options.expiresAt),
    ttl_seconds: checkPositiveInteger(options.ttlSeconds, 'ttlSeconds'),
    parent_edge_id: context.delegationEdgeId,
  };
}
