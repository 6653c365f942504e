import type { SpawnSessionBody } from '@caracal/protocol';
import { checkPositiveInteger, checkRecord, checkSignal, checkText, checkTextList, invalidArgument, toWireConstraints } from './check-arguments.ts';
import type { SpawnGrant, SpawnOptions } from './spawn-options.ts';

const KINDS = new Set(['service', 'instance', 'ephemeral']);

/** Always the object form: the SDK's bare modes are sent spelled out. */
function toWireGrant(grant: SpawnGrant | undefined): Extract<SpawnSessionBody['grant'], object> {
  if (grant === undefined || grant === 'inherit') return { mode: 'inherit' };
  if (grant === 'none') return { mode: 'none' };
  if (typeof grant !== 'object' || grant === null || grant.mode !== 'narrow') {
    throw invalidArgument('grant', "must be 'inherit', 'none' or { mode: 'narrow', scopes, resource?, constraints? }");
  }
  const scopes = checkTextList(grant.scopes, 'grant.scopes');
  if (scopes === undefined || scopes.length === 0) throw invalidArgument('grant.scopes', 'must list at least one scope for a narrow grant');
  return {
    mode: 'narrow',
    scopes,
    resource_id: checkText(grant.resource, 'grant.resource'),
    constraints: toWireConstraints(grant.constraints, 'grant.constraints'),
  };
}

/**
 * Checks spawn options and builds the `POST /zones/{zoneId}/agents` body.
 * @param parentSessionId - the enclosing context's session, so the new one is its child.
 * @param parentEdgeId - the edge that context acts under: what an inherited edge derives from.
 * @internal
 */
export function spawnRequestBody(
  options: SpawnOptions,
  identity: { clientId: string; parentSessionId: string | undefined; parentEdgeId?: string | undefined },
): SpawnSessionBody {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options', 'must be an object');
  if (options.kind !== undefined && !KINDS.has(options.kind)) throw invalidArgument('kind', "must be 'service', 'instance' or 'ephemeral'");
  checkSignal(options.signal, 'signal');
  checkText(options.idempotencyKey, 'idempotencyKey');
  for (const flag of ['recordRun', 'recordResult'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw invalidArgument(flag, 'must be a boolean');
  }
  return {
    application_id: identity.clientId,
    parent_id: identity.parentSessionId,
    parent_edge_id: identity.parentSessionId === undefined ? undefined : identity.parentEdgeId,
    kind: options.kind,
    capabilities: checkTextList(options.capabilities, 'capabilities'),
    ttl_seconds: checkPositiveInteger(options.ttlSeconds, 'ttlSeconds'),
    labels: checkRecord(options.labels, 'labels', true) as Record<string, string> | undefined,
    metadata: checkRecord(options.metadata, 'metadata', false),
    grant: toWireGrant(options.grant),
  };
}
