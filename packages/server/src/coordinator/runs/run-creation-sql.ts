import { timelineFacts } from '../../events/timeline-facts-sql.ts';
import { outboxInsertCte, type OutboxRows } from '../../events/outbox-rows-sql.ts';
import type { SqlParameters } from '../shared/sql-parameters.ts';
import type { RunRow } from './run-row.ts';

/** A new run, always `pending`, before it has a session and a time (a spawn gives it both). */
export interface RunFields {
  id: string;
  zoneId: string;
  applicationId: string;
  type: RunRow['type'];
  agentName: string | null;
  /** The blueprint's tags, matched against runners' (runner-match.ts). */
  blueprintTags: readonly string[];
  parameters: Record<string, unknown>;
  projectDir: string | null;
  parentSessionId: string | null;
  executionMode: string | null;
  /** Joined to the `run_created` fact's status and runner. */
  details: Record<string, unknown>;
}

/** Where a new run's session id and time come from, as SQL expressions of its statement. */
export interface RunCreationSource {
  sessionId: string;
  /** timestamptz: created, pending since and updated at. */
  at: string;
  /** A relation yielding the one row `sessionId` and `at` read (e.g. a spawn's `session` CTE), or none. */
  from?: string;
  /**
   * A condition the `run_created` fact waits for. Data-modifying CTEs run in no defined order, but
   * a row cannot be read before it is written: a condition reading the rows another CTE inserts
   * makes those rows (and their sequence ids) come before the fact's.
   */
  after?: string;
}

/** A run's creation as runCreation writes it: its CTEs, and its fact's outbox row for the statement's outbox insert. */
export interface RunCreationWrites {
  ctes: string[];
  feed: OutboxRows;
}

/**
 * The CTEs that create a run: `name` inserts it `pending` (RETURNING the row) and `name_facts` its
 * `run_created` fact on the session's timeline (source coordinator, `run_id` set); `feed` yields
 * the fact's outbox row. They commit exactly when their statement does: in the spawn of a new
 * session's run, so that session and its run exist together or not at all.
 */
export function runCreation(p: SqlParameters, name: string, run: RunFields, source: RunCreationSource): RunCreationWrites {
  const { sessionId, at } = source;
  const insert = `${name} AS (
    INSERT INTO runs (id, zone_id, application_id, session_id, type, agent_name, parameters, project_dir, parent_session_id,
      execution_mode, blueprint_tags, status, created_at, pending_since, updated_at)
    SELECT ${p.add(run.id, '::text')}, ${p.add(run.zoneId, '::text')}, ${p.add(run.applicationId, '::text')}, ${sessionId},
      ${p.add(run.type, '::text')}, ${p.add(run.agentName, '::text')}, ${p.json(run.parameters)}, ${p.add(run.projectDir, '::text')},
      ${p.add(run.parentSessionId, '::text')}, ${p.add(run.executionMode, '::text')}, ${p.add(run.blueprintTags, '::text[]')},
      'pending', ${at}, ${at}, ${at}
    ${source.from === undefined ? '' : `FROM ${source.from}`}
    RETURNING *)`;
  const facts = `SELECT zone_id, session_id, application_id, 'run_created'::text AS event_type, created_at AS recorded_at, id AS run_id,
      0 AS position, jsonb_build_object('status', status, 'runner_id', runner_id) || ${p.json(run.details)} AS details
    FROM ${name}${source.after === undefined ? '' : ` WHERE ${source.after}`}`;
  const written = timelineFacts(`${name}_facts`, { source: 'coordinator', facts, orderBy: 'fact.position', withRunId: true });
  return { ctes: [insert, written.cte], feed: written.feed };
}

/**
 * runCreation with its own outbox insert (CTE `name_facts_feed`): a resumed session's run, a
 * statement of its own.
 */
export function runCreationCtes(p: SqlParameters, name: string, run: RunFields, source: RunCreationSource): string[] {
  const { ctes, feed } = runCreation(p, name, run, source);
  return [...ctes, outboxInsertCte(`${name}_facts_feed`, [feed])];
}
