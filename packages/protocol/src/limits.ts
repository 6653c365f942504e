/**
 * The limits of the wire contract, in one place. Every package checks input against these
 * names, so a value one part accepts is never refused by another (a scope that can be granted
 * can also be requested, delegated and exchanged).
 */

/** The deepest delegation chain a context or mandate may carry (0 = no delegation). */
export const MAX_HOP = 32;

/** Longest scope token (RFC 6749 `scope-token`). */
export const SCOPE_MAX_LENGTH = 200;

/** Most scopes in one list: a grant, a request, an edge, a resource's accepted scopes. */
export const SCOPES_MAX_ITEMS = 64;

/** Longest resource identifier (RFC 8707 `resource`). */
export const RESOURCE_MAX_LENGTH = 512;

/** Longest zone or application id (the OAuth `client_id`). */
export const NAME_MAX_LENGTH = 128;

/** Page sizes a list route accepts, and the one it uses when none is asked for. */
export const PAGE_LIMIT_MAX = 500;
export const PAGE_LIMIT_DEFAULT = 100;

/** Seconds from now that a TTL may name: a year at most. */
export const TTL_SECONDS_MAX = 31_536_000;

/**
 * The longest a delegation edge may live, from its creation: 30 days. An edge never outlives the
 * authority it derives from; this bounds the edges nothing else bounds (a root edge from a session
 * without a TTL). Longer-lived delegation is re-delegated, so it is re-checked.
 */
export const EDGE_LIFETIME_MAX_SECONDS = 30 * 24 * 60 * 60;

/** The largest budget a delegation caveat may carry (a Postgres `integer`). */
export const BUDGET_MAX = 2_147_483_647;

/** Labels and metadata: how many keys, and how long a label key and value may be. */
export const LABELS_MAX_PROPERTIES = 64;
export const LABEL_KEY_MAX_LENGTH = 128;
export const LABEL_VALUE_MAX_LENGTH = 512;
export const METADATA_MAX_PROPERTIES = 64;

/** Capabilities a session may declare, and the length of each. */
export const CAPABILITIES_MAX_ITEMS = 64;
export const CAPABILITY_MAX_LENGTH = 128;

/** Longest client secret an application may be given or present. */
export const CLIENT_SECRET_MAX_LENGTH = 512;

/** Timeline events: the longest `event_type`, and the largest event a client may post (its JSON). */
export const EVENT_TYPE_MAX_LENGTH = 64;
export const TIMELINE_EVENT_MAX_BYTES = 64 * 1024;

/** Most events one batch post may carry. */
export const TIMELINE_BATCH_MAX_ITEMS = 500;

/** The largest body of an event post (one event, or a batch): its JSON, in bytes. */
export const TIMELINE_POST_MAX_BYTES = 4 * 1024 * 1024;

/** Agent Coordinator session fields that are free text (`project_dir`, `hostname`, …): their longest value. */
export const SESSION_TEXT_MAX_LENGTH = 1024;

/** A run's `parameters`: most keys, and the largest JSON it may take (the body limit of `POST /runs` is twice that). */
export const RUN_PARAMETERS_MAX_PROPERTIES = 64;
export const RUN_PARAMETERS_MAX_BYTES = 128 * 1024;

/** The longest prompt a run may carry. */
export const RUN_PROMPT_MAX_LENGTH = 100_000;

/** The largest JSON `result` a runner may report for a completed run. */
export const RUN_RESULT_MAX_BYTES = 128 * 1024;

/** Most tags and blueprints a runner may register with. */
export const RUNNER_LIST_MAX_ITEMS = 64;
/** Blueprints (`/agents…`): a name is a directory name; the rest bounds what one request writes. */
export const BLUEPRINT_NAME_MAX_LENGTH = 60;
export const BLUEPRINT_DESCRIPTION_MAX_LENGTH = 4096;
export const BLUEPRINT_SYSTEM_PROMPT_MAX_LENGTH = 256 * 1024;
/** Skills and tags of one blueprint, each. */
export const BLUEPRINT_LIST_MAX_ITEMS = 64;
export const BLUEPRINT_MCP_SERVERS_MAX = 32;
export const BLUEPRINT_RESOURCES_MAX = 32;

/** Most ids a dry-run impact lists per set; beyond it the answer says `truncated: true`. */
export const DRY_RUN_IDS_MAX = 1_000;
