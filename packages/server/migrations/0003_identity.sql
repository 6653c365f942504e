-- STS identity: zones, applications (OAuth clients), resources (RFC 8707 targets) and the
-- per-zone ES256 signing keys. Agent sessions and delegation edges belong to the Coordinator.
CREATE TABLE zones (
  id text PRIMARY KEY,
  name text NOT NULL,
  -- Bumped on every key creation or rotation; the token paths read it in their one query and
  -- reload the cached signing key when it moved, which keeps replicas correct without polling.
  key_version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- An application belongs to one zone; its id is the OAuth client_id, unique across zones.
CREATE TABLE applications (
  id text PRIMARY KEY,
  zone_id text NOT NULL REFERENCES zones (id),
  name text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  admin boolean NOT NULL DEFAULT false,
  -- scrypt$<log2 N>$<r>$<p>$<salt>$<hash>; the secret itself is shown once and never stored.
  secret_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applications_zone ON applications (zone_id, id);

-- A resource is identified by its URI (the RFC 8707 `resource` value) within a zone.
CREATE TABLE resources (
  zone_id text NOT NULL REFERENCES zones (id),
  identifier text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (zone_id, identifier)
);

-- Private keys are PKCS8, encrypted with AES-256-GCM under a key derived from the server's key
-- encryption secret (the row's kid and zone are the associated data).
CREATE TABLE zone_signing_keys (
  kid text PRIMARY KEY,
  zone_id text NOT NULL REFERENCES zones (id),
  algorithm text NOT NULL DEFAULT 'ES256',
  public_jwk jsonb NOT NULL,
  private_key_ciphertext text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'retiring')),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the key starts retiring: it still verifies (and stays in the JWKS) until then.
  not_after timestamptz
);
CREATE UNIQUE INDEX zone_signing_keys_one_active ON zone_signing_keys (zone_id) WHERE status = 'active';
CREATE INDEX zone_signing_keys_zone ON zone_signing_keys (zone_id, created_at);

-- Spends one unit of budget on every budgeted edge of a delegation path, all or nothing.
-- Each statement of a plpgsql function takes a fresh snapshot under READ COMMITTED, so the
-- FOR UPDATE below waits for concurrent spenders and then sees their committed budgets; locking in
-- id order makes concurrent exchanges over overlapping paths queue instead of deadlocking.
-- Returns 'ok', 'exhausted' (some budget is 0) or 'inactive' (an edge was revoked, expired or vanished).
CREATE FUNCTION caracal_spend_edge_budget(p_edge_ids text[], p_now timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  locked_count integer;
  active_count integer;
  funded_count integer;
BEGIN
  SELECT count(*),
         count(*) FILTER (WHERE locked.status = 'active' AND locked.expires_at > p_now),
         count(*) FILTER (WHERE locked.budget_remaining > 0)
    INTO locked_count, active_count, funded_count
    FROM (
      SELECT e.status, e.expires_at, e.budget_remaining
        FROM delegation_edges e
       WHERE e.id = ANY (p_edge_ids)
       ORDER BY e.id
         FOR UPDATE
    ) AS locked;
  IF locked_count < cardinality(p_edge_ids) OR active_count < locked_count THEN
    RETURN 'inactive';
  END IF;
  IF funded_count < locked_count THEN
    RETURN 'exhausted';
  END IF;
  UPDATE delegation_edges SET budget_remaining = budget_remaining - 1 WHERE id = ANY (p_edge_ids);
  RETURN 'ok';
END
$$;

-- Everything a token exchange decides on, in one call: the zone's key version, the caller's
-- application, the resource's accepted scopes, the presented session, and the edge lineage walked
-- up the parent_edge_id chain (root first) with each delegating session's status. A plpgsql
-- function so the plan is cached per connection: planning this statement costs several times
-- more than running it. STABLE: it reads with the caller's snapshot and changes nothing.
CREATE FUNCTION caracal_exchange_snapshot(p_zone_id text, p_client_id text, p_resource text, p_session_id text, p_edge_id text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    WITH RECURSIVE lineage AS (
      SELECT e.id, e.parent_edge_id, 1 AS distance FROM delegation_edges e WHERE e.id = p_edge_id
      UNION ALL
      SELECT p.id, p.parent_edge_id, l.distance + 1
        FROM delegation_edges p JOIN lineage l ON p.id = l.parent_edge_id
       WHERE l.distance < 40
    )
    SELECT json_build_object(
      'keyVersion', (SELECT z.key_version FROM zones z WHERE z.id = p_zone_id),
      'application', (SELECT json_build_object('zoneId', a.zone_id, 'scopes', a.scopes) FROM applications a WHERE a.id = p_client_id),
      'resourceScopes', (SELECT to_json(r.scopes) FROM resources r WHERE r.zone_id = p_zone_id AND r.identifier = p_resource),
      'session', (SELECT json_build_object(
          'id', s.id, 'zoneId', s.zone_id, 'applicationId', s.application_id, 'status', s.status,
          'scopes', s.scopes, 'resourceId', s.resource_id,
          'expiresAt', (extract(epoch FROM s.expires_at) * 1000)::float8)
        FROM agent_sessions s WHERE s.id = p_session_id),
      'lineage', (SELECT coalesce(json_agg(json_build_object(
          'id', e.id, 'zoneId', e.zone_id, 'sourceSessionId', e.source_session_id,
          'targetSessionId', e.target_session_id, 'issuerApplicationId', e.issuer_application_id,
          'receiverApplicationId', e.receiver_application_id, 'parentEdgeId', e.parent_edge_id,
          'scopes', e.scopes, 'resourceId', e.resource_id, 'maxHops', e.max_hops,
          'budgetRemaining', e.budget_remaining, 'constraints', e.constraints, 'status', e.status,
          'expiresAt', (extract(epoch FROM e.expires_at) * 1000)::float8,
          'sourceSessionStatus', src.status) ORDER BY l.distance DESC), '[]'::json)
        FROM lineage l
        JOIN delegation_edges e ON e.id = l.id
        LEFT JOIN agent_sessions src ON src.id = e.source_session_id)
    )
  );
END
$$;
