import { timelineFactCtes } from '../../events/timeline-facts-sql.ts';
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
}

/** A run's creation, for a statement to record its fact with its own (a spawn records its session's and its run's together). */
export interface RunCreationParts {
  /** CTE `name`: inserts the run `pending`, RETURNING the row. */
  insert: string;
  /**
   * SQL yielding its `run_created` fact (source coordinator) as timelineFacts reads facts, with
   * `run_id` and `position` (0).
   */
  facts: string;
}

export function runCreationParts(p: SqlParameters, name: string, run: RunFields, source: RunCreationSource): RunCreationParts {
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
    FROM ${name}`;
  return { insert, facts };
}

/**
 * The CTEs that create a run of an existing session in a statement of its own: `name` inserts it
 * `pending` (RETURNING the row), `name_facts` its `run_created` fact on the session's timeline
 * (`run_id` set) and `name_facts_feed` the fact's outbox row, all committing together.
 */
export function runCreationCtes(p: SqlParameters, name: string, run: RunFields, source: RunCreationSource): string[] {
  const { insert, facts } = runCreationParts(p, name, run, source);
  return [insert, ...timelineFactCtes(`${name}_facts`, { source: 'coordinator', facts, orderBy: 'fact.position', withRunId: true })];
}
