import type { RunState } from '@caracal/protocol';
import { conflict } from '../../http/server-error.ts';

/**
 * The run state machine (docs/runs.md). The public moves: `pending → claimed → running →
 * completed | failed`, `claimed | running → stopping → stopped`, `pending → stopped`. The server
 * itself also gives a claimed run back (`claimed → pending`: its runner lapsed, or recovery) and
 * fails runs nobody will finish (`pending → failed`: no runner took it in time; `claimed →
 * failed` is never taken).
 */
const PUBLIC_MOVES: Readonly<Record<RunState, readonly RunState[]>> = {
  pending: ['claimed', 'stopped'],
  claimed: ['running', 'stopping'],
  running: ['completed', 'failed', 'stopping'],
  stopping: ['stopped'],
  completed: [],
  failed: [],
  stopped: [],
};

const SERVER_MOVES: Readonly<Partial<Record<RunState, readonly RunState[]>>> = {
  pending: ['failed'],
  claimed: ['pending'],
};

/** Who moves a run: a caller of the API, or the server's own jobs (timeouts, lapses, recovery). */
export type RunMover = 'api' | 'server';

export function isAllowedMove(from: RunState, to: RunState, mover: RunMover): boolean {
  if (PUBLIC_MOVES[from].includes(to)) return true;
  return mover === 'server' && (SERVER_MOVES[from]?.includes(to) ?? false);
}

/** The states a run may be moved to `to` from (a move checked in SQL rather than on a locked row). */
export function statesMovableTo(to: RunState, mover: RunMover): RunState[] {
  return (Object.keys(PUBLIC_MOVES) as RunState[]).filter((from) => isAllowedMove(from, to, mover));
}

/** Refuses a move outside the machine with 409 `invalid_transition`. */
export function assertAllowedMove(runId: string, from: RunState, to: RunState, mover: RunMover = 'api'): void {
  if (!isAllowedMove(from, to, mover)) {
    throw conflict(`run ${runId} is ${from}; it cannot become ${to}`, 'invalid_transition');
  }
}

/** States of a run that is still under way (a session has at most one). */
export const ACTIVE_RUN_STATES: readonly RunState[] = ['pending', 'claimed', 'running', 'stopping'];
