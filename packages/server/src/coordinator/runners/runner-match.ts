import type { RunnerRow } from './runner-row.ts';

/** What of a run decides which runners may take it. */
export interface RunMatchFacts {
  application_id: string;
  agent_name: string | null;
  /** The run's blueprint's tags when the run was created. */
  blueprint_tags: readonly string[];
}

/**
 * Which runner takes a run (docs/runs.md): a runner serves its own application's runs (one
 * registered with an operator mandate: every application's of its zone). A runner that names
 * neither blueprints nor tags takes any of those; one that names some takes a run whose blueprint
 * it names OR whose blueprint carries one of its tags. A run without a blueprint goes only to a
 * runner that names neither. The claim's SQL (runner-look-sql.ts claimPickSql) says the same.
 */
export function runnerServes(runner: Pick<RunnerRow, 'serves_zone' | 'application_id' | 'blueprints' | 'tags'>, run: RunMatchFacts): boolean {
  if (!runner.serves_zone && runner.application_id !== run.application_id) return false;
  if (runner.blueprints.length === 0 && runner.tags.length === 0) return true;
  if (run.agent_name !== null && runner.blueprints.includes(run.agent_name)) return true;
  return run.blueprint_tags.some((tag) => runner.tags.includes(tag));
}
