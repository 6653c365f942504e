-- Runs and runners (docs/runs.md): a run asks a runner to start or resume a seed session's agent.
-- Runs are rows so they survive a restart; runners claim them with FOR UPDATE SKIP LOCKED.

-- A registered runner: the application whose mandate registered it, in its zone. Registering again
-- with the same host, project dir and profile finds the same row (its id survives a restart).
CREATE TABLE runners (
  id text PRIMARY KEY,
  zone_id text NOT NULL,
  application_id text NOT NULL,
  -- Registered with an operator mandate: serves every application's runs of the zone.
  serves_zone boolean NOT NULL DEFAULT false,
  hostname text NOT NULL,
  project_dir text NOT NULL,
  executor_profile text NOT NULL,
  executor jsonb NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  blueprints text[] NOT NULL DEFAULT '{}',
  registered_at timestamptz NOT NULL,
  last_heartbeat_at timestamptz NOT NULL,
  -- Set when its heartbeat lapsed (its runs were taken back); a later heartbeat clears it.
  lapsed_at timestamptz,
  UNIQUE (zone_id, application_id, hostname, project_dir, executor_profile)
);
CREATE INDEX runners_heartbeat ON runners (last_heartbeat_at) WHERE lapsed_at IS NULL;

CREATE TABLE runs (
  id text PRIMARY KEY,
  zone_id text NOT NULL,
  application_id text NOT NULL,
  session_id text NOT NULL,
  type text NOT NULL CHECK (type IN ('start_session', 'resume_session')),
  agent_name text,
  parameters jsonb NOT NULL,
  project_dir text,
  parent_session_id text,
  execution_mode text,
  status text NOT NULL CHECK (status IN ('pending', 'claimed', 'running', 'stopping', 'completed', 'failed', 'stopped')),
  runner_id text,
  error text,
  result jsonb,
  session_status text,
  created_at timestamptz NOT NULL,
  -- When the run last became pending (created, or given back by a lapsed runner): the no-match timeout counts from here.
  pending_since timestamptz,
  claimed_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  -- When its runner was told to stop (a stop order is handed out once).
  stop_signalled_at timestamptz,
  updated_at timestamptz NOT NULL
);
-- The claim: the oldest pending run of a zone.
CREATE INDEX runs_pending ON runs (zone_id, pending_since, id) WHERE status = 'pending';
-- A runner's live runs (stop orders, heartbeat lapse, recovery).
CREATE INDEX runs_live ON runs (runner_id) WHERE status IN ('claimed', 'running', 'stopping');
-- A session's runs (its active run; `GET /runs?session_id=`).
CREATE INDEX runs_session ON runs (session_id, id);
CREATE INDEX runs_zone ON runs (zone_id, id);
