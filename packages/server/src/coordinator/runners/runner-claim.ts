import type { Database } from '../../db/database.ts';
import { announceRun } from '../runs/run-announcement.ts';
import { claimGroupOf } from './claim-group.ts';
import { moveParameters, moveStatement } from '../runs/run-moves.ts';
import type { RunRow } from '../runs/run-row.ts';
import { claimPickSql, lookAnswerSql, pollingRunnerSql, stopOrdersSql } from './runner-look-sql.ts';
import { touchRunnerSql } from './runner-repository.ts';
import type { RunnerRow } from './runner-row.ts';

/** Which runner a poll looks for work for, as its caller may see it. */
export interface RunnerLook {
  runnerId: string;
  /** The caller's zone: a runner of another zone does not exist for it. */
  zoneId: string;
  /** The caller's application, or null for a mandate that sees every application's runners. */
  applicationId: string | null;
  /** Also record the poll as the runner's sign of life (its first look). */
  touch: boolean;
  /** Claim a run when there is no stop order (false: the runner is at its concurrency cap). */
  claim: boolean;
  now: number;
}

/** What one look found: no runner (the caller may not see it: nothing was changed), its stop orders, or the run it claimed. */
export interface LookResult {
  runner: RunnerRow | undefined;
  stops: Array<{ id: string; session_id: string }>;
  claimed: RunRow | undefined;
}

/**
 * One look of a runner's poll, in ONE statement (a poll made three round trips), shared with the
 * looks of other runners serving alike when they come at once (claim-group.ts): reads the runner
 * the caller may see, records the sign of life, takes its stop orders (runs `stopping`, not yet
 * told, marked told) and, when it has none, claims the oldest pending run it may serve
 * (runner-match.ts says which) with its fact. Everything hangs on the runner row, so nothing is
 * touched or claimed for a runner the caller may not see. `FOR UPDATE SKIP LOCKED` makes the claim
 * atomic across replicas: two runners never get one run, and neither waits for the other.
 */
export async function lookForWork(database: Database, look: RunnerLook, observer: { groupFallback?: () => void } = {}): Promise<LookResult> {
  const group = claimGroupOf(database);
  let result: LookResult | undefined;
  if (look.claim && group.knows(look.runnerId)) {
    // A failed group wrote nothing; the lone look below answers.
    result = await group.look(look).catch(() => {
      observer.groupFallback?.();
      return undefined;
    });
  }
  if (result === undefined) {
    result = await lookAlone(database, look);
    if (look.claim) group.remember(result.runner);
  }
  if (result.claimed !== undefined) await announceRun(database, result.claimed);
  return result;
}

/** The pick of a look that claims nothing: stop orders only. */
const NO_PICK = 'picked AS (SELECT NULL::text AS id WHERE false)';

/** One look in a statement of its own. */
async function lookAlone(database: Database, look: RunnerLook): Promise<LookResult> {
  const ctes = [
    pollingRunnerSql('$10', '$11', '$12'),
    ...(look.touch ? [`touched AS (${touchRunnerSql('(SELECT id FROM polling_runner)', '$3')})`] : []),
    stopOrdersSql('$3'),
    look.claim ? claimPickSql('$11') : NO_PICK,
  ];
  const { rows } = await database.query<{ runner: RunnerRow | null; stops: LookResult['stops'] | null; claimed: RunRow | null }>(
    moveStatement('WHERE id = (SELECT id FROM picked) AND $1::text IS NULL', { with: `${ctes.join(',\n')},`, select: lookAnswerSql() }),
    [
      ...moveParameters(null, { to: 'claimed', runnerId: look.runnerId, reason: 'claimed' }, look.now),
      look.runnerId,
      look.zoneId,
      look.applicationId,
    ],
    { prepare: true },
  );
  const answer = rows[0]!;
  return {
    runner: answer.runner ?? undefined,
    stops: (answer.stops ?? []).sort((a, b) => a.id.localeCompare(b.id)),
    claimed: answer.claimed ?? undefined,
  };
}
