import { Topics, type EventFields } from '@caracal/protocol';

/** The topic revocations are published on. @since 0.1.0 */
export const SESSIONS_REVOKE_TOPIC = Topics.sessionsRevoke;
/** Edge changes; only its revocation entries matter to a verifier. @since 0.1.0 */
export const DELEGATIONS_INVALIDATE_TOPIC = Topics.delegationsInvalidate;

/**
 * One event as the server publishes it (the wire contract's EventFields): flat string fields on
 * Redis Streams, the same fields as a JSON object on the SSE feed. Read tolerantly, so every
 * field is optional.
 * @since 0.1.0
 */
export interface RevocationEventFields extends Readonly<Partial<Omit<EventFields, 'payload'>>> {
  /** JSON text (Redis) or an object (SSE) with `session_id` and/or `edge_id` and the like. */
  readonly payload?: unknown;
  /** The entry's stream position (the SSE feed's JSON carries it). */
  readonly stream_id?: string;
  readonly topic?: string;
  readonly [field: string]: unknown;
}

/** What an event revokes; empty lists when it revokes nothing. @internal */
export interface ParsedRevocation {
  readonly sessionIds: string[];
  readonly edgeIds: string[];
  readonly zoneId: string | undefined;
}

// Only keys that name a revoked session by an id the server assigned: an edge revocation's
// source/target sessions live on, and `session_sid` is a label the spawning application chose, so
// another application could set it to a victim's id (docs/decisions/2026-12-04-revocation-names.md).
const SESSION_KEYS = ['agent_session_id', 'session_id'] as const;
const SESSION_LIST_KEYS = ['session_ids', 'agent_session_ids', 'affected_sessions', 'terminated_sessions'] as const;
const EDGE_KEYS = ['edge_id', 'delegation_edge_id'] as const;
const EDGE_LIST_KEYS = ['edge_ids', 'revoked_edges', 'delegation_edge_ids'] as const;

function payloadObject(payload: unknown): Record<string, unknown> {
  if (typeof payload === 'string') {
    try {
      return payloadObject(JSON.parse(payload) as unknown);
    } catch {
      return {};
    }
  }
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
}

function collect(payload: Record<string, unknown>, single: readonly string[], lists: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const key of single) {
    const value = payload[key];
    if (typeof value === 'string' && value.length > 0) ids.add(value);
  }
  for (const key of lists) {
    const value = payload[key];
    // Counts (`revoked_edges: 3` in HTTP answers) are not ids; only arrays of strings are read.
    if (Array.isArray(value)) for (const id of value) if (typeof id === 'string' && id.length > 0) ids.add(id);
  }
  return [...ids];
}

/** True when an entry of `topic` with `type` takes authority away. */
function isRevocation(topic: string | undefined, type: string | undefined): boolean {
  if (topic === SESSIONS_REVOKE_TOPIC) return true;
  // On other topics (edge_create, epoch bumps…) only revocations and terminations count.
  return typeof type === 'string' && /revok|terminat/i.test(type);
}

/**
 * Reads the sessions and edges an event revokes. Tolerant by design: a revocation feed that is
 * read too strictly fails open, so every id-bearing key the server may use is accepted, while
 * edge creations and other non-revoking entries yield nothing.
 * @internal
 */
export function parseRevocationEvent(fields: RevocationEventFields, topic?: string): ParsedRevocation {
  const zoneId = typeof fields.zone_id === 'string' && fields.zone_id.length > 0 ? fields.zone_id : undefined;
  const entryTopic = topic ?? (typeof fields.topic === 'string' ? fields.topic : undefined);
  if (!isRevocation(entryTopic, typeof fields.type === 'string' ? fields.type : undefined)) return { sessionIds: [], edgeIds: [], zoneId };
  const payload = payloadObject(fields.payload);
  return {
    sessionIds: collect(payload, SESSION_KEYS, SESSION_LIST_KEYS),
    edgeIds: collect(payload, EDGE_KEYS, EDGE_LIST_KEYS),
    zoneId,
  };
}

/** The time a Redis-style stream id (`<ms>-<seq>`) was written, or `undefined` for other ids. @internal */
export function streamIdTime(id: string | undefined): number | undefined {
  if (id === undefined) return undefined;
  const match = /^(\d{1,16})-\d+$/.exec(id);
  return match === null ? undefined : Number(match[1]);
}
