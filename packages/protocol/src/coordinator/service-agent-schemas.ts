import { Type, type Static } from 'typebox';
import { AgentSessionId, Capabilities, ListQuery, Metadata, Name, ServiceAgentId, Timestamp } from '../primitives.ts';
import { recordAnswers } from './record-answers.ts';
import { Nullable, StringEnum } from './schema-helpers.ts';

/** Bodies of `/zones/{zoneId}/services…` and what they answer. */

export const ServiceStatus = StringEnum(['healthy', 'unhealthy', 'deregistered']);
export type ServiceStatus = Static<typeof ServiceStatus>;

/** How long a registration stays healthy without a heartbeat, in seconds. */
const LeaseSeconds = Type.Integer({ minimum: 5, maximum: 86_400 });
const ServiceName = Type.String({ minLength: 1, maxLength: 128 });

export const RegisterServiceBody = Type.Object(
  {
    name: ServiceName,
    application_id: Type.Optional(Name),
    agent_session_id: Type.Optional(AgentSessionId),
    endpoint: Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{1,2048}$' })),
    capabilities: Type.Optional(Capabilities),
    metadata: Type.Optional(Metadata),
    lease_seconds: Type.Optional(LeaseSeconds),
  },
  { additionalProperties: false },
);
export type RegisterServiceBody = Static<typeof RegisterServiceBody>;

export const HeartbeatBody = Type.Object({ lease_seconds: Type.Optional(LeaseSeconds) }, { additionalProperties: false });
export type HeartbeatBody = Static<typeof HeartbeatBody>;

export const ListServicesQuery = ListQuery({ status: ServiceStatus, application_id: Name, name: ServiceName });
export type ListServicesQuery = Static<typeof ListServicesQuery>;

/**
 * A service agent as reads and lists show it; a registration (201 new, 200 re-registered) answers
 * the service with its id also as `service_id`.
 */
const service = recordAnswers('service_id', {
  id: ServiceAgentId,
  zone_id: Name,
  application_id: Name,
  name: Type.String(),
  agent_session_id: Nullable(Type.String()),
  endpoint: Nullable(Type.String()),
  capabilities: Type.Array(Type.String()),
  metadata: Metadata,
  status: ServiceStatus,
  lease_seconds: Type.Integer(),
  lease_expires_at: Timestamp,
  last_heartbeat_at: Timestamp,
  registered_at: Timestamp,
  deregistered_at: Nullable(Type.String()),
});

export const ServiceAgent = service.record;
export type ServiceAgent = Static<typeof ServiceAgent>;
export const ServiceAgentPage = service.page;
export type ServiceAgentPage = Static<typeof ServiceAgentPage>;
export const RegisteredService = service.created;
export type RegisteredService = Static<typeof RegisteredService>;

export const HeartbeatResult = Type.Object({ service_id: ServiceAgentId, status: ServiceStatus, lease_expires_at: Timestamp });
export type HeartbeatResult = Static<typeof HeartbeatResult>;

export const DeregisterResult = Type.Object({ deregistered: Type.Boolean() });
export type DeregisterResult = Static<typeof DeregisterResult>;
