import { TIMELINE_TOPIC } from '@caracal/protocol';
import { SEED_SESSION_COLUMNS } from './seed-session.ts';
import type { SessionChange } from './session-changes.ts';
import { isoTextSql } from '../../events/timeline-facts-sql.ts';
import { outboxInsertCte, outboxRows, type OutboxRows } from '../../events/outbox-rows-sql.ts';

/** `columns` (a RETURNING list) with every column the seed session view reads added. */
export function withSeedSessionColumns(columns: readonly string[], alias = ''): string {
  const prefix = alias === '' ? '' : `${alias}.`;
  const seed = SEED_SESSION_COLUMNS.split(',').map((column) => column.trim());
  const names = [...columns, ...seed.filter((column) => !columns.includes(column))];
  return names.map((column) => `${prefix}${column}`).join(', ');
}

/** The seed session (`seedSessionView`) of an `agent_sessions` row aliased `alias`, built in SQL. */
export function seedSessionJsonSql(alias: string): string {
  const a = alias;
  return `jsonb_build_object('session_id', ${a}.id, 'status', ${a}.run_status, 'authority_status', ${a}.status,
    'application_id', ${a}.application_id, 'depth', ${a}.depth, 'created_at', ${isoTextSql(`${a}.spawned_at`)},
    'project_dir', ${a}.project_dir, 'agent_name', ${a}.agent_name, 'last_resumed_at', ${isoTextSql(`${a}.last_resumed_at`)},
    'parent_session_id', ${a}.parent_id, 'executor_session_id', ${a}.executor_session_id,
    'executor_profile', ${a}.executor_profile, 'hostname', ${a}.hostname)`;
}

/**
 * The set-based form of enqueueSessionChanges: one `change` outbox row on TIMELINE_TOPIC per row
 * of `sessions` (SQL yielding agent_sessions rows with the seed columns, e.g. a data-modifying
 * CTE's RETURNING, so each shows the session as the statement leaves it), in session id order.
 */
export function sessionChangeRows(change: SessionChange, sessions: string): OutboxRows {
  return outboxRows({
    topic: `'${TIMELINE_TOPIC}'`,
    eventType: `'${change}'`,
    zoneId: 'changed.zone_id',
    payload: `jsonb_build_object('session', ${seedSessionJsonSql('changed')}, 'zone_id', changed.zone_id, 'application_id', changed.application_id)`,
    orderBy: { text: 'changed.id' },
    from: `FROM (${sessions}) AS changed`,
  });
}

/** CTE `name` writing sessionChangeRows alone (a statement writing other outbox rows too writes them all in one outboxInsertCte). */
export function sessionChangeCte(name: string, change: SessionChange, sessions: string): string {
  return outboxInsertCte(name, [sessionChangeRows(change, sessions)]);
}
