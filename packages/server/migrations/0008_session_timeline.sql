-- The Agent Coordinator surface over agent sessions: a session's run status and the seed project's fields,
-- and one timeline of events per session, written by agents and by the server itself.

-- What the session's agent is doing. A session spawned through the Coordinator is already at work
-- (`running`); `POST /sessions` creates it `pending`. Reaching stopped, finished or failed ends its
-- authority (the session is terminated in the same transaction).
ALTER TABLE agent_sessions
  ADD COLUMN run_status text NOT NULL DEFAULT 'running'
    CHECK (run_status IN ('pending', 'running', 'idle', 'stopping', 'stopped', 'finished', 'failed')),
  ADD COLUMN project_dir text,
  ADD COLUMN agent_name text,
  ADD COLUMN last_resumed_at timestamptz,
  ADD COLUMN executor_session_id text,
  ADD COLUMN executor_profile text,
  ADD COLUMN hostname text,
  -- Set by `DELETE /sessions/{id}`: the session leaves the seed views (its Caracal record stays).
  ADD COLUMN seed_deleted_at timestamptz;

-- One row per event. `id` is the server's order (never a client clock); `recorded_at` is the
-- server's time. The seed fields an event may carry live in `body` (tool_name, tool_input, …);
-- the server's own facts (mandates minted or refused, lifecycle) in `details`.
CREATE TABLE session_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  zone_id text NOT NULL,
  session_id text NOT NULL,
  application_id text NOT NULL,
  run_id text,
  event_type text NOT NULL,
  source text NOT NULL CHECK (source IN ('agent', 'coordinator', 'sts')),
  recorded_at timestamptz NOT NULL,
  reported_at timestamptz,
  body jsonb NOT NULL DEFAULT '{}',
  details jsonb
);
-- A session's timeline in order (pages read `session_id = $1 AND id > $cursor ORDER BY id`).
CREATE INDEX session_events_session ON session_events (session_id, id);
-- The retention job deletes by age.
CREATE INDEX session_events_recorded ON session_events (recorded_at);
