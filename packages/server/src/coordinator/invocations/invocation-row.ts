import type { Invocation, InvocationStatus } from '@caracal/protocol';
import { isoOrNull, isoText } from '../shared/time.ts';

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

/** The wire form of an invocation: the row, with times as ISO 8601 text. */
export function invocationView(row: InvocationRow): Invocation {
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
    created_at: isoText(row.created_at),
    started_at: isoOrNull(row.started_at),
    finished_at: isoOrNull(row.finished_at),
    cancel_reason: row.cancel_reason,
  };
}
