/** SQL for the i-th bulk-inserted session id (hex is within the id alphabet). */
const sessionId = (expression: string) => `'agentsess_9' || lpad(to_hex(${expression}), 25, '0')`;

/**
 * The statements that put `sessions` terminated sessions and their 3 events each into a zone's
 * tables, as a server that has run for a while has them, then refresh the planner's statistics.
 */
export function historyStatements(zoneId: string, applicationId: string, sessions: number): string[] {
  return [
    `INSERT INTO agent_sessions (id, zone_id, application_id, root_id, status, depth, kind, zone_seat, application_seat,
       spawned_at, terminated_at, termination_reason)
     SELECT ${sessionId('g')}, '${zoneId}', '${applicationId}', ${sessionId('g')}, 'terminated', 0, 'ephemeral', 0, 0,
       now() - interval '2 days', now() - interval '1 day', 'terminated'
     FROM generate_series(1, ${sessions}) AS g`,
    `INSERT INTO caracal_outbox (topic, event_type, zone_id, payload, status, created_at, published_at)
     SELECT kind.topic, kind.type, '${zoneId}', jsonb_build_object('agent_session_id', ${sessionId('g')}), 'published',
       now() - interval '1 day', now() - interval '1 day'
     FROM generate_series(1, ${sessions}) AS g,
       (VALUES ('caracal.agents.lifecycle', 'session_spawned'), ('caracal.agents.lifecycle', 'session_terminated'),
               ('caracal.sessions.revoke', 'session_revoked')) AS kind (topic, type)`,
    'VACUUM ANALYZE agent_sessions',
    'VACUUM ANALYZE caracal_outbox',
  ];
}
