import type { ResumeImpact, RevokeImpact, SuspendImpact, TerminateImpact } from '@caracal/protocol';
import type { RevocationCounts } from '../delegations/revoke-edge-repository.ts';
import { capImpactIds } from './impact-ids.ts';
import type { StatusChangeCounts, TerminationCounts } from './lifecycle-repository.ts';

/** `?dry_run=true` as the services take it. */
export function isDryRun(query: { dry_run?: 'true' | 'false' }): boolean {
  return query.dry_run === 'true';
}

/** Caps two id lists; `truncated` when either was cut. */
function capped(first: readonly string[], second: readonly string[] = []) {
  const a = capImpactIds(first);
  const b = capImpactIds(second);
  return { first: a.ids, second: b.ids, truncated: a.truncated || b.truncated ? { truncated: true as const } : {} };
}

export function terminateImpact(counts: TerminationCounts): TerminateImpact {
  const ids = capped(counts.sessionIds, counts.edgeIds);
  return {
    dry_run: true,
    terminated_sessions: counts.terminatedSessions,
    revoked_edges: counts.revokedEdges,
    session_ids: ids.first,
    edge_ids: ids.second,
    ...ids.truncated,
  };
}

export function suspendImpact(counts: StatusChangeCounts): SuspendImpact {
  const ids = capped(counts.sessionIds);
  return { dry_run: true, suspended: counts.changed, session_ids: ids.first, ...ids.truncated };
}

export function resumeImpact(counts: StatusChangeCounts): ResumeImpact {
  const ids = capped(counts.sessionIds);
  return { dry_run: true, resumed: counts.changed, session_ids: ids.first, ...ids.truncated };
}

export function revokeImpact(counts: RevocationCounts): RevokeImpact {
  const ids = capped(counts.edgeIds, counts.sessionIds);
  return {
    dry_run: true,
    revoked_edges: counts.revokedEdges,
    affected_sessions: counts.affectedSessions,
    edge_ids: ids.first,
    session_ids: ids.second,
    ...ids.truncated,
  };
}
