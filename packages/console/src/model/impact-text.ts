import type { ResumeImpact, RevokeImpact, SuspendImpact, TerminateImpact } from '@caracal/protocol';

export type ActionKind = 'suspend' | 'resume' | 'terminate' | 'revoke';

/** The server's dry-run answer for each cascading action (`?dry_run=true`). */
export interface ImpactOf {
  terminate: TerminateImpact;
  suspend: SuspendImpact;
  resume: ResumeImpact;
  revoke: RevokeImpact;
}

/** What an action will cascade to, in words: "3 sessions will be terminated, 2 delegations revoked". */
export function describeImpact<Kind extends ActionKind>(action: Kind, answer: ImpactOf[Kind]): string {
  const impact = answer as Partial<TerminateImpact & SuspendImpact & ResumeImpact & RevokeImpact>;
  switch (action) {
    case 'terminate':
      return `${count(impact.terminated_sessions, 'session')} will be terminated, ${count(impact.revoked_edges, 'delegation')} revoked`;
    case 'suspend':
      return `${count(impact.suspended, 'session')} will be suspended`;
    case 'resume':
      return `${count(impact.resumed, 'session')} will be resumed`;
    default:
      return `${count(impact.revoked_edges, 'delegation')} will be revoked, ${count(impact.affected_sessions, 'session')} affected`;
  }
}

function count(value: number | undefined, noun: string): string {
  const n = value ?? 0;
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
