-- The cycle check runs under the zone's delegation lock, so its cost is paid by every edge create
-- queued behind it. As a LANGUAGE sql function it was planned again on every call (≈0.2 ms, more
-- than the walk itself); PL/pgSQL keeps the plan of its query across calls. Same query as 0005,
-- same snapshot semantics: the function stays VOLATILE, and under READ COMMITTED each statement a
-- VOLATILE PL/pgSQL function runs takes a fresh snapshot, so called after the zone lock it still
-- sees every edge the lock's previous holder committed.
CREATE OR REPLACE FUNCTION coordinator_path_exists(p_zone text, p_from text, p_to text, p_at timestamptz, p_after_lock boolean) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN EXISTS (
    WITH RECURSIVE reachable (session_id) AS (
      SELECT p_from
      UNION
      SELECT next.target_session_id FROM reachable CROSS JOIN LATERAL (
        SELECT e.target_session_id FROM delegation_edges e
        WHERE e.zone_id = p_zone AND e.source_session_id = reachable.session_id AND e.status = 'active' AND e.expires_at > p_at
        OFFSET 0) AS next
    )
    SELECT 1 FROM reachable WHERE session_id = p_to);
END
$$;
