import { Type, type Static } from 'typebox';
import { AgentSessionId, DelegationEdgeId } from '../primitives.ts';
import { StringEnum } from './schema-helpers.ts';

/**
 * `?dry_run=true` on terminate, suspend, resume and revoke: answer what the action would change
 * (the same counts, plus the ids) and change nothing. `false` is the action itself.
 */
export const DryRunQuery = Type.Object({ dry_run: Type.Optional(StringEnum(['true', 'false'])) }, { additionalProperties: false });
export type DryRunQuery = Static<typeof DryRunQuery>;

const SessionIds = Type.Array(AgentSessionId);
const EdgeIds = Type.Array(DelegationEdgeId);
/** Present, and true, when an id list stopped at DRY_RUN_IDS_MAX (the counts stay exact). */
const Truncated = Type.Optional(Type.Literal(true));

/** `DELETE …/agents/{id}?dry_run=true`. */
export const TerminateImpact = Type.Object({
  dry_run: Type.Literal(true),
  terminated_sessions: Type.Integer(),
  revoked_edges: Type.Integer(),
  session_ids: SessionIds,
  edge_ids: EdgeIds,
  truncated: Truncated,
});
export type TerminateImpact = Static<typeof TerminateImpact>;

/** `POST …/agents/{id}/suspend?dry_run=true`. */
export const SuspendImpact = Type.Object({ dry_run: Type.Literal(true), suspended: Type.Integer(), session_ids: SessionIds, truncated: Truncated });
export type SuspendImpact = Static<typeof SuspendImpact>;

/** `POST …/agents/{id}/resume?dry_run=true`. */
export const ResumeImpact = Type.Object({ dry_run: Type.Literal(true), resumed: Type.Integer(), session_ids: SessionIds, truncated: Truncated });
export type ResumeImpact = Static<typeof ResumeImpact>;

/** `POST …/delegations/{id}/revoke?dry_run=true`. */
export const RevokeImpact = Type.Object({
  dry_run: Type.Literal(true),
  revoked_edges: Type.Integer(),
  affected_sessions: Type.Integer(),
  edge_ids: EdgeIds,
  session_ids: SessionIds,
  truncated: Truncated,
});
export type RevokeImpact = Static<typeof RevokeImpact>;
