-- What a token exchange decides on, extended so every bound of its authority is read in the same
-- call (docs/decisions/2026-12-04-exchange-authority-bounds.md):
-- - the presented session's inherited edge and caveats: a session that acts under an edge it
--   inherited at spawn mints through that edge even when the request omits delegation_edge_id,
--   so the edge's budget, ttl and max_hops always apply; a session without one carries its own
--   caveats (a narrowed root session);
-- - the root edge's issuing application's current scopes: authority never outlives a scope the
--   operator removed from the application it originates in;
-- - the root edge's delegating session's caveats, so a budget granted to a root session is one
--   pool shared with every edge below it.
-- One statement, as before: the lineage starts at the named edge, else the session's own.
CREATE OR REPLACE FUNCTION caracal_exchange_snapshot(p_zone_id text, p_client_id text, p_resource text, p_session_id text, p_edge_id text)
RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    WITH RECURSIVE lineage AS (
      SELECT e.id, e.parent_edge_id, 1 AS distance FROM delegation_edges e
       WHERE e.id = coalesce(p_edge_id, (SELECT s.delegation_edge_id FROM agent_sessions s WHERE s.id = p_session_id))
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
          'scopes', s.scopes, 'resourceId', s.resource_id, 'constraints', s.constraints,
          'delegationEdgeId', s.delegation_edge_id,
          'expiresAt', (extract(epoch FROM s.expires_at) * 1000)::float8)
        FROM agent_sessions s WHERE s.id = p_session_id),
      'lineage', (SELECT coalesce(json_agg(json_build_object(
          'id', e.id, 'zoneId', e.zone_id, 'sourceSessionId', e.source_session_id,
          'targetSessionId', e.target_session_id, 'issuerApplicationId', e.issuer_application_id,
          'receiverApplicationId', e.receiver_application_id, 'parentEdgeId', e.parent_edge_id,
          'scopes', e.scopes, 'resourceId', e.resource_id, 'maxHops', e.max_hops,
          'budgetRemaining', e.budget_remaining, 'constraints', e.constraints, 'status', e.status,
          'expiresAt', (extract(epoch FROM e.expires_at) * 1000)::float8,
          'sourceSessionStatus', src.status,
          -- Read for the root edge only: the decision needs them there alone.
          'sourceSessionConstraints', CASE WHEN e.parent_edge_id IS NULL AND src.delegation_edge_id IS NULL THEN src.constraints END,
          'issuerScopes', CASE WHEN e.parent_edge_id IS NULL
            THEN (SELECT to_json(issuer.scopes) FROM applications issuer WHERE issuer.id = e.issuer_application_id) END)
          ORDER BY l.distance DESC), '[]'::json)
        FROM lineage l
        JOIN delegation_edges e ON e.id = l.id
        LEFT JOIN agent_sessions src ON src.id = e.source_session_id)
    )
  );
END
$$;

-- Spends one unit on every budgeted edge of a path and, when given, on the budget a session
-- without an inherited edge was granted (constraints.budget): all or nothing. Edges are locked in
-- id order as caracal_spend_edge_budget does, then the session row; a deadlock against a
-- concurrent revocation aborts one side, and the caller retries once.
-- Returns 'ok', 'exhausted' (some budget is 0) or 'inactive' (an edge or the session is no longer live).
CREATE FUNCTION caracal_spend_budget(p_edge_ids text[], p_session_id text, p_now timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  locked_count integer;
  active_count integer;
  funded_count integer;
  session_status text;
  session_budget integer;
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
  IF p_session_id IS NOT NULL THEN
    SELECT s.status, (s.constraints ->> 'budget')::integer INTO session_status, session_budget
      FROM agent_sessions s WHERE s.id = p_session_id FOR UPDATE;
    IF NOT FOUND OR session_status <> 'active' THEN
      RETURN 'inactive';
    END IF;
    IF session_budget IS NULL OR session_budget <= 0 THEN
      RETURN 'exhausted';
    END IF;
    UPDATE agent_sessions SET constraints = jsonb_set(constraints, '{budget}', to_jsonb(session_budget - 1)) WHERE id = p_session_id;
  END IF;
  UPDATE delegation_edges SET budget_remaining = budget_remaining - 1 WHERE id = ANY (p_edge_ids);
  RETURN 'ok';
END
$$;
