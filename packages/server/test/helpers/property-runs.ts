/**
 * How many runs an expensive property gets. Every run of the suite draws new cases, so CI keeps
 * exploring at `ci` runs; the nightly run (`pnpm run test:nightly`) sets
 * `CARACAL_PROPERTY_RUNS=full` for the `full` count, and a number runs exactly that many.
 */
export function propertyRuns(counts: { ci: number; full: number }): number {
  const setting = process.env.CARACAL_PROPERTY_RUNS;
  if (setting === undefined || setting === '') return counts.ci;
  if (setting === 'full') return counts.full;
  const runs = Number(setting);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`CARACAL_PROPERTY_RUNS must be "full" or a positive integer, not ${JSON.stringify(setting)}`);
  return runs;
}
