import { isoOrNull } from '../shared/time.ts';

export type ServiceStatus = 'healthy' | 'unhealthy' | 'deregistered';

export interface ServiceAgentRow {
  id: string;
  zone_id: string;
  application_id: string;
  name: string;
  agent_session_id: string | null;
  endpoint: string | null;
  capabilities: unknown[];
  metadata: Record<string, unknown>;
  status: ServiceStatus;
  lease_seconds: number;
  lease_expires_at: Date;
  last_heartbeat_at: Date;
  registered_at: Date;
  deregistered_at: Date | null;
}

export function serviceAgentView(row: ServiceAgentRow): Record<string, unknown> {
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
    lease_expires_at: isoOrNull(row.lease_expires_at),
    last_heartbeat_at: isoOrNull(row.last_heartbeat_at),
    registered_at: isoOrNull(row.registered_at),
    deregistered_at: isoOrNull(row.deregistered_at),
  };
}
