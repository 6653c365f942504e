import { isoOrNull } from '../shared/time.ts';

export type InvocationStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'expired';

/** Invocations move pending → running → succeeded | failed; cancel and expiry end any open one. */
export const OPEN_STATUSES: readonly InvocationStatus[] = ['pending', 'running'];

export interface InvocationRow {
  id: string;
  zone_id: string;
  application_id: string;
  agent_session_id: string;
  service_id: string | null;
  operation: string;
  input: Record<string, unknown>;
  output: unknown;
  error: unknown;
  metadata: Record<string, unknown>;
  status: InvocationStatus;
  deadline_at: Date | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  cancel_reason: string | null;
}

export function invocationView(row: InvocationRow): Record<string, unknown> {
  return {
    id: row.id,
    zone_id: row.zone_id,
    application_id: row.application_id,
    agent_session_id: row.agent_session_id,
    service_id: row.service_id,
    operation: row.operation,
    input: row.input,
    output: row.output,
    error: row.error,
    metadata: row.metadata,
    status: row.status,
    deadline_at: isoOrNull(row.deadline_at),
    created_at: isoOrNull(row.created_at),
    started_at: isoOrNull(row.started_at),
    finished_at: isoOrNull(row.finished_at),
    cancel_reason: row.cancel_reason,
  };
}
