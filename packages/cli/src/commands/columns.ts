/** Table columns, in the order docs/cli.md lists them (docs/decisions/2026-12-04-cli-operator-texts.md). */
export const AGENT_COLUMNS = ['id', 'application_id', 'parent_id', 'status', 'depth', 'spawned_at', 'terminated_at'] as const;
export const CHILD_COLUMNS = ['id', 'application_id', 'parent_id', 'status', 'depth', 'spawned_at'] as const;
export const EDGE_COLUMNS = ['id', 'source_session_id', 'target_session_id', 'resource_id', 'status', 'expires_at'] as const;
export const BLUEPRINT_COLUMNS = ['name', 'status', 'tags', 'description', 'modified_at'] as const;
export const TRAVERSE_COLUMNS = ['depth', 'id', 'source_session_id', 'target_session_id'] as const;
export const SESSION_COLUMNS = ['session_id', 'status', 'authority_status', 'application_id', 'agent_name', 'parent_session_id', 'created_at'] as const;
export const SESSION_EVENT_COLUMNS = ['id', 'timestamp', 'source', 'event_type', 'summary'] as const;
export const RUN_COLUMNS = ['run_id', 'session_id', 'agent_name', 'status', 'runner_id', 'created_at'] as const;
export const RUNNER_COLUMNS = ['runner_id', 'hostname', 'project_dir', 'executor_profile', 'status', 'last_heartbeat_at'] as const;
export const ZONE_COLUMNS = ['id', 'name', 'created_at'] as const;
export const APPLICATION_COLUMNS = ['client_id', 'name', 'scopes', 'admin', 'created_at'] as const;
export const RESOURCE_COLUMNS = ['identifier', 'scopes', 'created_at'] as const;
