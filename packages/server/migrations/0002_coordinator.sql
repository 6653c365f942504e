-- Coordinator state: agent sessions, their seats under the limits, delegation edges, graph epochs,
-- invocations, service agents and idempotency receipts. The STS reads agent_sessions and
-- delegation_edges during token exchange; their column names are a contract
-- (docs/decisions/2026-12-04-wire-conventions.md).

-- Raised from inside a statement to refuse a request: the whole statement (and its transaction)
-- rolls back, and the repository maps SQLSTATE CRnnn to an HTTP status nnn with DETAIL as the code.
CREATE FUNCTION coordinator_refuse(status integer, code text, description text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'CR' || status::text, MESSAGE = description, DETAIL = code;
END;
$$;

CREATE TABLE agent_sessions (
  id text PRIMARY KEY,
  zone_id text NOT NULL,
  application_id text NOT NULL,
  parent_id text,
  root_id text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'terminated')),
  depth integer NOT NULL CHECK (depth >= 0),
  kind text NOT NULL DEFAULT 'instance',
  capabilities jsonb NOT NULL DEFAULT '[]',
  labels jsonb NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}',
  -- The authority ceiling when the session acts without an edge: NULL = its application's scopes.
  scopes text[],
  resource_id text,
  constraints jsonb,
  -- The edge the session inherited at spawn (parent → this session), if any.
  delegation_edge_id text,
  session_sid text,
  -- Live (not terminated) children, kept here so the children limit holds under concurrency.
  live_children integer NOT NULL DEFAULT 0,
  -- Bumped by every writer that attaches something to the session (a child, an edge, an
  -- invocation). Subtree changes compare it after locking with what their snapshot saw, and retry
  -- when it moved, so nothing attached concurrently is ever left behind (see termination-sql.ts).
  revision integer NOT NULL DEFAULT 0,
  zone_seat integer NOT NULL,
  application_seat integer NOT NULL,
  spawned_at timestamptz NOT NULL,
  expires_at timestamptz,
  suspended_at timestamptz,
  terminated_at timestamptz,
  termination_reason text
);
CREATE INDEX agent_sessions_zone ON agent_sessions (zone_id, id);
CREATE INDEX agent_sessions_application ON agent_sessions (zone_id, application_id, id);
CREATE INDEX agent_sessions_parent ON agent_sessions (parent_id, id) WHERE parent_id IS NOT NULL;
CREATE INDEX agent_sessions_expiry ON agent_sessions (expires_at) WHERE status <> 'terminated' AND expires_at IS NOT NULL;

-- A fixed set of seats per (application, zone) and per application (zone_id = ''): a live session
-- holds one of each. Claiming a free seat with SKIP LOCKED keeps the limits exact under concurrent
-- spawns without one hot counter row that every spawn of an application would queue on.
CREATE TABLE agent_session_seats (
  application_id text NOT NULL,
  zone_id text NOT NULL,
  seat integer NOT NULL,
  holder_session_id text,
  PRIMARY KEY (application_id, zone_id, seat)
);

CREATE TABLE delegation_edges (
  id text PRIMARY KEY,
  zone_id text NOT NULL,
  source_session_id text NOT NULL,
  target_session_id text NOT NULL,
  issuer_application_id text NOT NULL,
  receiver_application_id text NOT NULL,
  parent_edge_id text,
  scopes text[] NOT NULL,
  resource_id text,
  constraints jsonb NOT NULL DEFAULT '{}',
  max_hops integer,
  budget_remaining integer,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'expired')),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz,
  edge_version integer NOT NULL DEFAULT 1,
  -- 'spawn' for edges the Coordinator records at spawn, 'delegation' for explicit ones.
  origin text NOT NULL DEFAULT 'delegation'
);
-- The cycle check and the downstream walk follow active edges by source.
CREATE INDEX delegation_edges_active_source ON delegation_edges (zone_id, source_session_id) INCLUDE (target_session_id, expires_at) WHERE status = 'active';
CREATE INDEX delegation_edges_source ON delegation_edges (source_session_id, id);
CREATE INDEX delegation_edges_target ON delegation_edges (target_session_id, id);
CREATE INDEX delegation_edges_zone ON delegation_edges (zone_id, id);
CREATE INDEX delegation_edges_parent ON delegation_edges (parent_edge_id) WHERE parent_edge_id IS NOT NULL;
CREATE INDEX delegation_edges_expiry ON delegation_edges (expires_at) WHERE status = 'active';

-- Whether a path of active, unexpired edges leads from one session to another, at any length
-- (UNION keeps each session once, so the walk ends on any graph; the outer LIMIT stops it as soon
-- as the target is reached). VOLATILE on purpose: under READ COMMITTED its query takes a fresh
-- snapshot when called, so a statement that first takes the zone's delegation lock and then calls
-- it sees every edge committed by the lock's previous holder (see create-edge-repository.ts).
CREATE FUNCTION coordinator_path_exists(p_zone text, p_from text, p_to text, p_at timestamptz, p_after_lock boolean) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
  WITH RECURSIVE reachable (session_id) AS (
    SELECT p_from
    UNION
    SELECT next.target_session_id FROM reachable CROSS JOIN LATERAL (
      SELECT e.target_session_id FROM delegation_edges e
      WHERE e.zone_id = p_zone AND e.source_session_id = reachable.session_id AND e.status = 'active' AND e.expires_at > p_at) AS next
  )
  SELECT EXISTS (SELECT 1 FROM reachable WHERE session_id = p_to)
$$;

CREATE TABLE delegation_graph_epochs (
  zone_id text PRIMARY KEY,
  epoch bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agent_invocations (
  id text PRIMARY KEY,
  zone_id text NOT NULL,
  application_id text NOT NULL,
  agent_session_id text NOT NULL,
  service_id text,
  operation text NOT NULL,
  input jsonb NOT NULL DEFAULT '{}',
  output jsonb,
  error jsonb,
  metadata jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled', 'expired')),
  deadline_at timestamptz,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz,
  cancel_reason text
);
CREATE INDEX agent_invocations_zone ON agent_invocations (zone_id, id);
CREATE INDEX agent_invocations_open_session ON agent_invocations (agent_session_id) WHERE status IN ('pending', 'running');
CREATE INDEX agent_invocations_deadline ON agent_invocations (deadline_at) WHERE status IN ('pending', 'running') AND deadline_at IS NOT NULL;
CREATE INDEX agent_invocations_finished ON agent_invocations (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE agent_services (
  id text PRIMARY KEY,
  zone_id text NOT NULL,
  application_id text NOT NULL,
  name text NOT NULL,
  agent_session_id text,
  endpoint text,
  capabilities jsonb NOT NULL DEFAULT '[]',
  metadata jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'healthy' CHECK (status IN ('healthy', 'unhealthy', 'deregistered')),
  lease_seconds integer NOT NULL,
  lease_expires_at timestamptz NOT NULL,
  last_heartbeat_at timestamptz NOT NULL,
  registered_at timestamptz NOT NULL,
  deregistered_at timestamptz
);
CREATE UNIQUE INDEX agent_services_name ON agent_services (zone_id, application_id, name) WHERE status <> 'deregistered';
CREATE INDEX agent_services_zone ON agent_services (zone_id, id);
CREATE INDEX agent_services_lease ON agent_services (lease_expires_at) WHERE status = 'healthy';

-- A create with an Idempotency-Key stores its answer here in the create's own transaction.
CREATE TABLE coordinator_idempotency_receipts (
  zone_id text NOT NULL,
  client_id text NOT NULL,
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  status_code integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (zone_id, client_id, idempotency_key)
);
CREATE INDEX coordinator_idempotency_receipts_created ON coordinator_idempotency_receipts (created_at);
