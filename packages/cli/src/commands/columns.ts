/** Table columns, in the order docs/cli.md lists them (docs/decisions/2026-12-04-cli-operator-texts.md). */
export const AGENT_COLUMNS = ['id', 'application_id', 'parent_id', 'status', 'depth', 'spawned_at', 'terminated_at'] as const;
export const CHILD_COLUMNS = ['id', 'application_id', 'parent_id', 'status', 'depth', 'spawned_at'] as const;
export const EDGE_COLUMNS = ['id', 'source_session_id', 'target_session_id', 'resource_id', 'status', 'expires_at'] as const;
export const BLUEPRINT_COLUMNS = ['name', 'status', 'tags', 'description', 'modified_at'] as const;
export const TRAVERSE_COLUMNS = ['depth', 'id', 'source_session_id', 'target_session_id'] as const;
