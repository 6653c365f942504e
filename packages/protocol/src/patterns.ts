import { NAME_MAX_LENGTH, SCOPE_MAX_LENGTH } from './limits.ts';

/**
 * The shapes of ids, names, scopes and resources as regular-expression sources, for JSON
 * schemas and for code that checks a value outside a schema (`new RegExp(pattern)`).
 */

/** The time-ordered unique part of every prefixed id (a ULID in Crockford base32, lower case). */
const ID_TAIL = '[0-9a-hjkmnp-tv-z]{26}';

/** The prefixes of the server's ids. */
export const ID_PREFIXES = {
  agentSession: 'agentsess_',
  delegationEdge: 'deledge_',
  invocation: 'inv_',
  serviceAgent: 'svc_',
  run: 'run_',
  runner: 'runner_',
} as const;

export const idPatterns = {
  agentSession: `^${ID_PREFIXES.agentSession}${ID_TAIL}$`,
  delegationEdge: `^${ID_PREFIXES.delegationEdge}${ID_TAIL}$`,
  invocation: `^${ID_PREFIXES.invocation}${ID_TAIL}$`,
  serviceAgent: `^${ID_PREFIXES.serviceAgent}${ID_TAIL}$`,
  run: `^${ID_PREFIXES.run}${ID_TAIL}$`,
  runner: `^${ID_PREFIXES.runner}${ID_TAIL}$`,
} as const;

/** Zone and application ids (OAuth client ids): short, printable, no spaces. */
export const NAME_PATTERN = `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,${NAME_MAX_LENGTH - 1}}$`;

/** RFC 6749 `scope-token`: printable ASCII but space, `"` and `\`. */
export const SCOPE_PATTERN = `^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,${SCOPE_MAX_LENGTH}}$`;

/**
 * A resource identifier such as `mcp://tools.local` (RFC 8707 `resource`): an absolute URI in
 * printable ASCII, without a fragment. Its length is bounded by RESOURCE_MAX_LENGTH.
 */
export const RESOURCE_PATTERN = '^[A-Za-z][A-Za-z0-9+.-]*:[\\x21\\x22\\x24-\\x7e]+$';

/**
 * A space-delimited list of scope tokens, as the token endpoint's `scope` parameter and the
 * verify route's `required_scopes` carry them (RFC 6749 §3.3); runs of spaces are tolerated.
 * Each token must end at a space or the end, so the regular expression cannot backtrack badly.
 */
export const SCOPE_LIST_PATTERN = `^ *(?:${SCOPE_PATTERN.slice(1, -1)}(?: +|$))*$`;

/** A blueprint name: also its directory's name, so nothing that could leave the agents dir (no `.`, no `/`). */
export const BLUEPRINT_NAME_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_-]*$';

/** A skill a blueprint names: a printable word (no spaces or quotes), at most 128 characters. */
export const BLUEPRINT_SKILL_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$';

/** A blueprint tag: printable, no comma (the `?tags=` filter is a comma-separated list), no spaces. */
export const BLUEPRINT_TAG_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$';
