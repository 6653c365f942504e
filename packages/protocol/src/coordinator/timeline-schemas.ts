import { Type, type Static } from 'typebox';
import { EVENT_TYPE_MAX_LENGTH, SESSION_TEXT_MAX_LENGTH, TIMELINE_BATCH_MAX_ITEMS } from '../limits.ts';
import { AgentSessionId, ListQuery, Name, Timestamp } from '../primitives.ts';
import { Nullable, OptionalNullable, StringEnum } from './schema-helpers.ts';
import { SessionStatus } from './session-schemas.ts';

/**
 * The Agent Coordinator surface's sessions and their event timelines (`/sessions…`, `/events…`): a seed
 * session is a Caracal agent session, shown in the seed project's shape.
 */

/** What the session's agent is doing: the seed project's session status. */
export const RunStatus = StringEnum(['pending', 'running', 'idle', 'stopping', 'stopped', 'finished', 'failed']);
export type RunStatus = Static<typeof RunStatus>;

/** Run statuses that end the session's authority: reaching one terminates the Caracal session. */
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['stopped', 'finished', 'failed'];

/** Who wrote a timeline event: the agent (posted), or the server recording its own facts. */
export const EventSource = StringEnum(['agent', 'coordinator', 'sts']);
export type EventSource = Static<typeof EventSource>;

/** Free text of a seed session field (`project_dir`, `hostname`, …). */
export const SessionText = Type.String({ maxLength: SESSION_TEXT_MAX_LENGTH });

/** An event type: free text as the seed project uses it (`run_start`, `pre_tool`, …), printable, no spaces. */
export const EventType = Type.String({ pattern: `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,${EVENT_TYPE_MAX_LENGTH - 1}}$` });

/**
 * The fields an agent may set on an event it posts; all but `event_type` optional. Their total
 * JSON size is bounded by TIMELINE_EVENT_MAX_BYTES (checked by the server after the schema).
 */
export const eventFields = {
  event_type: EventType,
  run_id: Type.Optional(Nullable(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }))),
  /** The client's own clock, kept as `reported_at`; order and `timestamp` come from the server. */
  timestamp: Type.Optional(Nullable(Timestamp)),
  tool_name: Type.Optional(Nullable(Type.String({ maxLength: 256 }))),
  tool_input: Type.Optional(Nullable(Type.Record(Type.String(), Type.Unknown()))),
  tool_output: Type.Optional(Type.Unknown()),
  error: Type.Optional(Nullable(Type.String({ maxLength: 16_384 }))),
  exit_code: Type.Optional(Nullable(Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647 }))),
  reason: Type.Optional(Nullable(Type.String({ maxLength: 4096 }))),
  role: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  content: Type.Optional(Nullable(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 256 }))),
  result_text: Type.Optional(Nullable(Type.String())),
  result_data: Type.Optional(Type.Unknown()),
  /** On `run_completed`: the run status it leaves (`finished`, the default, or `idle`: the session waits to be resumed). */
  session_status: Type.Optional(Nullable(StringEnum(['idle', 'finished']))),
};

/** The fields of an event that an agent sets and a read shows back, beside the server's own (`id`, `timestamp`, `details`…). */
export const SESSION_EVENT_BODY_FIELDS = [
  'tool_name',
  'tool_input',
  'tool_output',
  'error',
  'exit_code',
  'reason',
  'role',
  'content',
  'result_text',
  'result_data',
] as const;

/** `POST /sessions/{id}/events`: one event. */
export const PostEventBody = Type.Object(eventFields, { additionalProperties: false });
export type PostEventBody = Static<typeof PostEventBody>;

/** A timeline event as reads and the live feeds show it. `id` and `timestamp` are the server's. */
export const SessionEvent = Type.Object({
  id: Type.Integer(),
  session_id: AgentSessionId,
  run_id: Nullable(Type.String()),
  event_type: Type.String(),
  source: EventSource,
  timestamp: Timestamp,
  reported_at: Nullable(Type.String()),
  tool_name: Nullable(Type.String()),
  tool_input: Nullable(Type.Record(Type.String(), Type.Unknown())),
  tool_output: Type.Unknown(),
  error: Nullable(Type.String()),
  exit_code: Nullable(Type.Integer()),
  reason: Nullable(Type.String()),
  role: Nullable(Type.String()),
  content: Nullable(Type.Array(Type.Unknown())),
  result_text: Nullable(Type.String()),
  result_data: Type.Unknown(),
  /** The server's own facts (a mandate's resource, scopes, jti, delegation path, a refusal's reason…); null on agents' events. */
  details: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export type SessionEvent = Static<typeof SessionEvent>;

/** A seed session: the Caracal agent session in the seed project's shape, plus its authority. */
export const SeedSession = Type.Object({
  session_id: AgentSessionId,
  status: RunStatus,
  authority_status: SessionStatus,
  application_id: Name,
  depth: Type.Integer(),
  created_at: Timestamp,
  project_dir: Nullable(Type.String()),
  agent_name: Nullable(Type.String()),
  last_resumed_at: Nullable(Type.String()),
  parent_session_id: Nullable(Type.String()),
  executor_session_id: Nullable(Type.String()),
  executor_profile: Nullable(Type.String()),
  hostname: Nullable(Type.String()),
});
export type SeedSession = Static<typeof SeedSession>;

/*
 * The routes of the Agent Coordinator surface (docs/sessions.md): their path parameters, queries, bodies
 * and answers. The zone is always the bearer's; no route names one.
 */

/** `/sessions/{id}…`: a seed session's id is its agent session id. */
export const SeedSessionParams = Type.Object({ id: AgentSessionId }, { additionalProperties: false });
export type SeedSessionParams = Static<typeof SeedSessionParams>;

/** `GET /sessions/{id}/status` answers `not_existent` for any id it does not show, so it takes any short id. */
export const SeedStatusParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
export type SeedStatusParams = Static<typeof SeedStatusParams>;

/** `GET /events/{session_id}` (legacy). */
export const LegacyEventsParams = Type.Object({ session_id: AgentSessionId }, { additionalProperties: false });
export type LegacyEventsParams = Static<typeof LegacyEventsParams>;

/** `GET /sessions`: newest first, optionally only one run status. */
export const ListSeedSessionsQuery = ListQuery({ status: RunStatus });
export type ListSeedSessionsQuery = Static<typeof ListSeedSessionsQuery>;

export const SeedSessionPage = Type.Object({ sessions: Type.Array(SeedSession), next_cursor: Nullable(Type.String()) });
export type SeedSessionPage = Static<typeof SeedSessionPage>;

/** How the seed project runs a session; kept as the Caracal session's `execution_mode` label. */
export const ExecutionMode = StringEnum(['sync', 'async_poll', 'async_callback']);
export type ExecutionMode = Static<typeof ExecutionMode>;

/** `POST /sessions`: a Caracal spawn (root, or a child of `parent_session_id`) in run status `pending`. */
export const CreateSeedSessionBody = Type.Object(
  {
    project_dir: Type.Optional(SessionText),
    agent_name: Type.Optional(SessionText),
    parent_session_id: Type.Optional(AgentSessionId),
    execution_mode: Type.Optional(ExecutionMode),
  },
  { additionalProperties: false },
);
export type CreateSeedSessionBody = Static<typeof CreateSeedSessionBody>;

/** What `POST /sessions` and `PATCH /sessions/{id}/metadata` answer. */
export const SeedSessionChanged = Type.Object({ ok: Type.Literal(true), session: SeedSession });
export type SeedSessionChanged = Static<typeof SeedSessionChanged>;

/** `GET /sessions/{id}`. */
export const SeedSessionAnswer = Type.Object({ session: SeedSession });
export type SeedSessionAnswer = Static<typeof SeedSessionAnswer>;

/** `GET /sessions/{id}/status`: the run status, or `not_existent` for an id this caller cannot see. */
export const SeedSessionStatus = Type.Object({ status: Type.Union([RunStatus, Type.Literal('not_existent')]) });
export type SeedSessionStatus = Static<typeof SeedSessionStatus>;

/** `GET /sessions/{id}/result`: the newest `result` event's two fields. */
export const SessionResult = Type.Object({ result_text: Nullable(Type.String()), result_data: Type.Unknown() });
export type SessionResult = Static<typeof SessionResult>;

/** A comma-separated list of event types (`event_type=pre_tool,post_tool`). */
const EventTypeList = Type.String({ pattern: `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,${EVENT_TYPE_MAX_LENGTH - 1}}(,[A-Za-z0-9][A-Za-z0-9_.:-]{0,${EVENT_TYPE_MAX_LENGTH - 1}}){0,31}$` });
/** A comma-separated list of sources (`source=coordinator,sts`). */
const EventSourceList = Type.String({ pattern: '^(agent|coordinator|sts)(,(agent|coordinator|sts)){0,2}$' });

/** `GET /sessions/{id}/events`: in server order, filtered by type, source and time (since ≤ timestamp < until). */
export const ListSessionEventsQuery = ListQuery({ event_type: EventTypeList, source: EventSourceList, since: Timestamp, until: Timestamp });
export type ListSessionEventsQuery = Static<typeof ListSessionEventsQuery>;

export const SessionEventPage = Type.Object({ events: Type.Array(SessionEvent), next_cursor: Nullable(Type.String()) });
export type SessionEventPage = Static<typeof SessionEventPage>;

/** `POST /sessions/{id}/events`: one event, or a batch of them (a JSON array). */
export const PostEventsBody = Type.Union([
  PostEventBody,
  Type.Array(PostEventBody, { minItems: 1, maxItems: TIMELINE_BATCH_MAX_ITEMS }),
]);
export type PostEventsBody = Static<typeof PostEventsBody>;

/** What an event post answers: `event` for one event, `events` (in server order) for a batch. */
export const PostedEvents = Type.Object({
  ok: Type.Literal(true),
  event: Type.Optional(SessionEvent),
  events: Type.Optional(Type.Array(SessionEvent)),
});
export type PostedEvents = Static<typeof PostedEvents>;

/** `PATCH /sessions/{id}/metadata`: the fields given are set; null clears one; absent ones stay. */
export const UpdateSeedMetadataBody = Type.Object(
  OptionalNullable({
    project_dir: SessionText,
    agent_name: SessionText,
    last_resumed_at: Timestamp,
    executor_session_id: SessionText,
    executor_profile: SessionText,
    hostname: SessionText,
  }),
  { additionalProperties: false },
);
export type UpdateSeedMetadataBody = Static<typeof UpdateSeedMetadataBody>;

/** `DELETE /sessions/{id}`: the session and its subtree leave the seed views; their events are gone. */
export const DeletedSeedSession = Type.Object({
  ok: Type.Literal(true),
  session_id: AgentSessionId,
  /** The session and every descendant removed with it (docs/decisions/2026-12-04-seed-session-delete.md). */
  deleted_sessions: Type.Array(AgentSessionId),
  deleted_events: Type.Integer(),
});
export type DeletedSeedSession = Static<typeof DeletedSeedSession>;

/** Legacy `POST /events`: an event naming its session, or none (a new session is created for it). */
export const LegacyPostEventBody = Type.Object({ session_id: Type.Optional(AgentSessionId), ...eventFields }, { additionalProperties: false });
export type LegacyPostEventBody = Static<typeof LegacyPostEventBody>;

/** What legacy `POST /events` answers; `session_created` says the server created the event's session. */
export const LegacyPostedEvent = Type.Object({ ok: Type.Literal(true), event: SessionEvent, session_created: Type.Boolean() });
export type LegacyPostedEvent = Static<typeof LegacyPostedEvent>;
