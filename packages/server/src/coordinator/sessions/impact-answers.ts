import type { ResumeImpact, RevokeImpact, SuspendImpact, TerminateImpact } from '@caracal/protocol';
import type { RevocationCounts } from '../delegations/revoke-edge-repository.ts';
import { capImpactIds } from './impact-ids.ts';
import type { StatusChangeCounts, TerminationCounts } from './lifecycle-repository.ts';

/** A dry-run answer: the counts, each id list capped, and `truncated: true` when any was cut. */
function impact<Counts extends Record<string, number>, Lists extends Record<string, readonly string[]>>(counts: Counts, lists: Lists) {
  let truncated = false;
  const ids = {} as Record<keyof Lists, string[]>;
  for (const name of Object.keys(lists) as Array<keyof Lists>) {
    const capped = capImpactIds(lists[name]!);
    truncated ||= capped.truncated;
    ids[name] = capped.ids;
  }
  return { dry_run: true as const, ...counts, ...ids, ...(truncated ? { truncated: true as const } : {}) };
}

export function terminateImpact(counts: TerminationCounts): TerminateImpact {
  return impact({ terminated_sessions: counts.terminatedSessions, revoked_edges: counts.revokedEdges }, { session_ids: counts.sessionIds, edge_ids: counts.edgeIds });
}

export function suspendImpact(counts: StatusChangeCounts): SuspendImpact {
  return impact({ suspended: counts.changed }, { session_ids: counts.sessionIds });
}

export function resumeImpact(counts: StatusChangeCounts): ResumeImpact {
  return impact({ resumed: counts.changed }, { session_ids: counts.sessionIds });
}

export function revokeImpact(counts: RevocationCounts): RevokeImpact {
  return impact({ revoked_edges: counts.revokedEdges, affected_sessions: counts.affectedSessions }, { edge_ids: counts.edgeIds, session_ids: counts.sessionIds });
}
