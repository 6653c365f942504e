import type { Database, Transaction } from '../../db/database.ts';

/** Thrown to end a dry run's transaction: carries the statement's answer out of the rollback. */
class DryRunRollback<T> extends Error {
  readonly answer: T;

  constructor(answer: T) {
    super('dry run: rolled back');
    this.answer = answer;
  }
}

/**
 * Runs `work` (the real action's own statements) in a transaction that is always rolled back, and
 * answers what it answered: a dry run computes its sets with the very code of the action, and
 * leaves no row, outbox event or timeline event behind (docs/decisions/2026-12-05-dry-run-impact.md).
 * Refusals (404, 403, 409) reach the caller exactly as the action's would.
 */
export async function rolledBack<T>(database: Database, work: (transaction: Transaction) => Promise<T>): Promise<T> {
  try {
    await database.transaction(async (transaction) => {
      throw new DryRunRollback(await work(transaction));
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.answer as T;
    throw error;
  }
  throw new Error('unreachable: a dry run always rolls back');
}
