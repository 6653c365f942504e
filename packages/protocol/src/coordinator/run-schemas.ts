import { Type, type Static } from 'typebox';
import { RUN_PARAMETERS_MAX_PROPERTIES, RUN_PROMPT_MAX_LENGTH, RUNNER_LIST_MAX_ITEMS } from '../limits.ts';
import { idPatterns } from '../patterns.ts';
import { AgentSessionId, ListQuery, Name, Timestamp } from '../primitives.ts';
import { BlueprintName } from './blueprint-schemas.ts';
import { Nullable, StringEnum } from './schema-helpers.ts';
import { ExecutionMode, SessionText } from './timeline-schemas.ts';

/**
 * Runs and runners (`/runs`, `/runner/…`, `/runners`): a run asks a runner to start or resume a
 * seed session's agent; runners register, long-poll for work and report back (docs/runs.md).
 */

export const RunId = Type.String({ pattern: idPatterns.run });
export const RunnerId = Type.String({ pattern: idPatterns.runner });

/** Where a run is: `pending → claimed → running → completed | failed`, `claimed | running → stopping → stopped`, `pending → stopped`. */
export const RunState = StringEnum(['pending', 'claimed', 'running', 'stopping', 'completed', 'failed', 'stopped']);
export type RunState = Static<typeof RunState>;

/** Run states nothing moves on from. */
export const FINAL_RUN_STATES: readonly RunState[] = ['completed', 'failed', 'stopped'];

export const RunType = StringEnum(['start_session', 'resume_session']);
export type RunType = Static<typeof RunType>;

/**
 * What the agent is asked to do. Without a blueprint parameter schema a run needs `prompt`; the
 * server checks that, and the whole object's JSON size (RUN_PARAMETERS_MAX_BYTES).
 */
export const RunParameters = Type.Record(Type.String({ maxLength: 128 }), Type.Unknown(), { maxProperties: RUN_PARAMETERS_MAX_PROPERTIES });
export type RunParameters = Static<typeof RunParameters>;

/** The prompt a run's parameters carry (checked by the server when no blueprint schema applies). */
export const RunPrompt = Type.String({ minLength: 1, maxLength: RUN_PROMPT_MAX_LENGTH });

/** `POST /runs`. */
export const CreateRunBody = Type.Object(
  {
    type: RunType,
    session_id: Type.Optional(AgentSessionId),
    agent_name: Type.Optional(Nullable(BlueprintName)),
    parameters: RunParameters,
    project_dir: Type.Optional(Nullable(SessionText)),
    parent_session_id: Type.Optional(Nullable(AgentSessionId)),
    execution_mode: Type.Optional(Nullable(ExecutionMode)),
  },
  { additionalProperties: false },
);
export type CreateRunBody = Static<typeof CreateRunBody>;

export const CreatedRun = Type.Object({ run_id: RunId, session_id: AgentSessionId, status: Type.Literal('pending') });
export type CreatedRun = Static<typeof CreatedRun>;

/** How the session is left after its run completed: ready for another run, or done. */
export const CompletedSessionStatus = StringEnum(['idle', 'finished']);
export type CompletedSessionStatus = Static<typeof CompletedSessionStatus>;

/** A run as reads, lists and runners see it. */
export const Run = Type.Object({
  run_id: RunId,
  type: RunType,
  session_id: AgentSessionId,
  application_id: Name,
  agent_name: Nullable(Type.String()),
  parameters: Type.Record(Type.String(), Type.Unknown()),
  project_dir: Nullable(Type.String()),
  parent_session_id: Nullable(Type.String()),
  execution_mode: Nullable(Type.String()),
  status: RunState,
  runner_id: Nullable(Type.String()),
  error: Nullable(Type.String()),
  result: Type.Unknown(),
  session_status: Nullable(Type.String()),
  created_at: Timestamp,
  claimed_at: Nullable(Timestamp),
  started_at: Nullable(Timestamp),
  completed_at: Nullable(Timestamp),
  updated_at: Timestamp,
});
export type Run = Static<typeof Run>;

export const RunAnswer = Type.Object({ run: Run });
export type RunAnswer = Static<typeof RunAnswer>;

export const RunParams = Type.Object({ id: RunId }, { additionalProperties: false });
export type RunParams = Static<typeof RunParams>;

/** `POST /sessions/{id}/stop`: the seed session whose run under way stops. */
export const StopSessionParams = Type.Object({ id: AgentSessionId }, { additionalProperties: false });
export type StopSessionParams = Static<typeof StopSessionParams>;

export const ListRunsQuery = ListQuery({ status: RunState, session_id: AgentSessionId, agent_name: BlueprintName, runner_id: RunnerId });
export type ListRunsQuery = Static<typeof ListRunsQuery>;

/** `GET /runs`: newest first. */
export const RunPage = Type.Object({ runs: Type.Array(Run), next_cursor: Nullable(Type.String()) });
export type RunPage = Static<typeof RunPage>;

const RunnerText = Type.String({ minLength: 1, maxLength: 1024 });
const RunnerTag = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' });

/** How a runner starts agents (the seed's `executor`). */
export const RunnerExecutor = Type.Object(
  { type: Type.String({ minLength: 1, maxLength: 128 }), command: Type.Optional(Nullable(Type.String({ maxLength: 4096 }))) },
  { additionalProperties: false },
);

/** `POST /runner/register`. Registering again with the same host, project dir and profile answers the same runner id. */
export const RegisterRunnerBody = Type.Object(
  {
    hostname: RunnerText,
    project_dir: RunnerText,
    executor_profile: Type.String({ minLength: 1, maxLength: 128 }),
    executor: RunnerExecutor,
    tags: Type.Optional(Nullable(Type.Array(RunnerTag, { maxItems: RUNNER_LIST_MAX_ITEMS, uniqueItems: true }))),
    blueprints: Type.Optional(Nullable(Type.Array(BlueprintName, { maxItems: RUNNER_LIST_MAX_ITEMS, uniqueItems: true }))),
  },
  { additionalProperties: false },
);
export type RegisterRunnerBody = Static<typeof RegisterRunnerBody>;

export const RegisteredRunner = Type.Object({
  runner_id: RunnerId,
  /** Heartbeat at least this often, or lose your runs. */
  heartbeat_interval_seconds: Type.Integer(),
  /** The longest a poll is held open. */
  poll_timeout_seconds: Type.Integer(),
});
export type RegisteredRunner = Static<typeof RegisteredRunner>;

export const RunnerStatus = StringEnum(['online', 'lapsed']);

/** A runner as `GET /runners` shows it. */
export const Runner = Type.Object({
  runner_id: RunnerId,
  application_id: Name,
  hostname: Type.String(),
  project_dir: Type.String(),
  executor_profile: Type.String(),
  executor: Type.Object({ type: Type.String(), command: Nullable(Type.String()) }),
  tags: Type.Array(Type.String()),
  blueprints: Type.Array(Type.String()),
  status: RunnerStatus,
  registered_at: Timestamp,
  last_heartbeat_at: Timestamp,
});
export type Runner = Static<typeof Runner>;

export const RunnerList = Type.Object({ runners: Type.Array(Runner) });
export type RunnerList = Static<typeof RunnerList>;

export const RunnerParams = Type.Object({ id: RunnerId }, { additionalProperties: false });
export type RunnerParams = Static<typeof RunnerParams>;

/**
 * `GET /runner/runs`: which runner polls, how long it will wait (default and cap:
 * poll_timeout_seconds), and whether it takes a run (`claim=false`: a runner at its concurrency cap
 * waits for stop orders only; default `true`).
 */
export const RunnerPollQuery = Type.Object(
  {
    runner_id: RunnerId,
    wait_seconds: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
    claim: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  },
  { additionalProperties: false },
);
export type RunnerPollQuery = Static<typeof RunnerPollQuery>;

/** A poll's answer: a run to execute, or runs to stop (204 when nothing came within the wait). */
export const RunnerPollAnswer = Type.Object({
  run: Type.Optional(Run),
  stop_runs: Type.Optional(Type.Array(RunId)),
  /** The sessions of `stop_runs`, in the same order (the seed runner's field). */
  stop_sessions: Type.Optional(Type.Array(AgentSessionId)),
});
export type RunnerPollAnswer = Static<typeof RunnerPollAnswer>;

/** A poll that found nothing within its wait answers 204 without a body. */
export const NoWork = Type.Null();

/** `POST /runner/runs/{id}/started | stopped`, `POST /runner/heartbeat`. */
export const RunnerBody = Type.Object({ runner_id: RunnerId }, { additionalProperties: false });
export type RunnerBody = Static<typeof RunnerBody>;

/** `POST /runner/runs/{id}/completed`. */
export const CompletedRunBody = Type.Object(
  {
    runner_id: RunnerId,
    status: Type.Optional(Type.Literal('completed')),
    session_status: Type.Optional(CompletedSessionStatus),
    result: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type CompletedRunBody = Static<typeof CompletedRunBody>;

/** `POST /runner/runs/{id}/failed`. */
export const FailedRunBody = Type.Object(
  { runner_id: RunnerId, error: Type.String({ minLength: 1, maxLength: 16_384 }) },
  { additionalProperties: false },
);
export type FailedRunBody = Static<typeof FailedRunBody>;

export const RunnerAck = Type.Object({ ok: Type.Literal(true) });

/**
 * `POST /runner/heartbeat`. `lost_runs`: runs of this runner the server failed while it took the
 * runner for lost (heartbeat lapsed, recovery after a restart), each named once: stop executing
 * them and report nothing (the run is already `failed`).
 */
export const HeartbeatAnswer = Type.Object({ ok: Type.Literal(true), lost_runs: Type.Optional(Type.Array(RunId)) });
export type HeartbeatAnswer = Static<typeof HeartbeatAnswer>;
