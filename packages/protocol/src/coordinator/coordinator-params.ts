import { Type, type Static } from 'typebox';
import { AgentSessionId, DelegationEdgeId, InvocationId, Name, ServiceAgentId } from '../primitives.ts';

/**
 * Path parameters of the `/zones/{zoneId}/…` routes. Ids are checked by shape, so a malformed one
 * is a 400 before any SQL runs.
 */

export const ZoneParams = Type.Object({ zoneId: Name }, { additionalProperties: false });
export type ZoneParams = Static<typeof ZoneParams>;

export const AgentSessionParams = Type.Object({ zoneId: Name, id: AgentSessionId }, { additionalProperties: false });
export type AgentSessionParams = Static<typeof AgentSessionParams>;

export const DelegationEdgeParams = Type.Object({ zoneId: Name, id: DelegationEdgeId }, { additionalProperties: false });
export type DelegationEdgeParams = Static<typeof DelegationEdgeParams>;

export const InvocationParams = Type.Object({ zoneId: Name, id: InvocationId }, { additionalProperties: false });
export type InvocationParams = Static<typeof InvocationParams>;

export const ServiceAgentParams = Type.Object({ zoneId: Name, id: ServiceAgentId }, { additionalProperties: false });
export type ServiceAgentParams = Static<typeof ServiceAgentParams>;
