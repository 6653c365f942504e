import { Type, type Static } from 'typebox';
import { EVENT_TYPE_MAX_LENGTH, SESSION_TEXT_MAX_LENGTH } from '../limits.ts';
import { AgentSessionId, Name, Timestamp } from '../primitives.ts';
import { Nullable, StringEnum } from './schema-helpers.ts';

/**
 * The seed-001 surface's sessions and their event timelines (`/sessions…`, `/events…`): a seed
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
};

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
  authority_status: StringEnum(['active', 'suspended', 'terminated']),
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
