/** The dry-run answers of the cascading actions (the server's `?dry_run=true`). */
export interface ImpactAnswer {
  terminated_sessions?: number;
  revoked_edges?: number;
  suspended?: number;
  resumed?: number;
  affected_sessions?: number;
  truncated?: boolean;
}

export type ActionKind = 'suspend' | 'resume' | 'terminate' | 'revoke';

/** What an action will cascade to, in words: "3 sessions will be terminated, 2 delegations revoked". */
export function describeImpact(action: ActionKind, answer: ImpactAnswer): string {
  switch (action) {
    case 'terminate':
      return `${count(answer.terminated_sessions, 'session')} will be terminated, ${count(answer.revoked_edges, 'delegation')} revoked`;
    case 'suspend':
      return `${count(answer.suspended, 'session')} will be suspended`;
    case 'resume':
      return `${count(answer.resumed, 'session')} will be resumed`;
    case 'revoke':
      return `${count(answer.revoked_edges, 'delegation')} will be revoked, ${count(answer.affected_sessions, 'session')} affected`;
  }
}

function count(value: number | undefined, noun: string): string {
  const n = value ?? 0;
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
