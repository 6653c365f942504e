-- The cycle check's step must be an index probe per reached session, whatever the statistics. The
-- LATERAL subquery of 0002 is simple enough for the planner to pull up into a plain join, and on a
-- zone of a few thousand edges it then chose a hash join over EVERY active edge of the zone at each
-- step (0.4 ms a call at 1,000 edges, growing with the zone until the plan flipped; 0.08 ms as a
-- probe). OFFSET 0 keeps the subquery a subquery, so each step can only be a parameterized
-- (zone_id, source_session_id) lookup on delegation_edges_active_source. Same answers, same
-- VOLATILE snapshot semantics as before (see 0002).
CREATE OR REPLACE FUNCTION coordinator_path_exists(p_zone text, p_from text, p_to text, p_at timestamptz, p_after_lock boolean) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
  WITH RECURSIVE reachable (session_id) AS (
    SELECT p_from
    UNION
    SELECT next.target_session_id FROM reachable CROSS JOIN LATERAL (
      SELECT e.target_session_id FROM delegation_edges e
      WHERE e.zone_id = p_zone AND e.source_session_id = reachable.session_id AND e.status = 'active' AND e.expires_at > p_at
      OFFSET 0) AS next
  )
  SELECT EXISTS (SELECT 1 FROM reachable WHERE session_id = p_to)
$$;
