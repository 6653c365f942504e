import type { ServiceAgent, ServiceStatus } from '@caracal/protocol';
import { isoOrNull, isoText } from '../shared/time.ts';

export interface ServiceAgentRow {
  id: string;
  zone_id: string;
  application_id: string;
  name: string;
  agent_session_id: string | null;
  endpoint: string | null;
  capabilities: string[];
  metadata: Record<string, unknown>;
  status: ServiceStatus;
  lease_seconds: number;
  lease_expires_at: Date;
  last_heartbeat_at: Date;
  registered_at: Date;
  deregistered_at: Date | null;
}

/** The wire form of a service agent: the row, with times as ISO 8601 text. */
export function serviceAgentView(row: ServiceAgentRow): ServiceAgent {
  return {
    id: row.id,
    zone_id: row.zone_id,
    application_id: row.application_id,
    name: row.name,
    agent_session_id: row.agent_session_id,
    endpoint: row.endpoint,
    capabilities: row.capabilities,
    metadata: row.metadata,
    status: row.status,
    lease_seconds: row.lease_seconds,
    lease_expires_at: isoText(row.lease_expires_at),
    last_heartbeat_at: isoText(row.last_heartbeat_at),
    registered_at: isoText(row.registered_at),
    deregistered_at: isoOrNull(row.deregistered_at),
  };
}
