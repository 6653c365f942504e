import type { RunRow } from '../runs/run-row.ts';

/**
 * The run of a row a group's statement answers: the moved run's columns, without the input's
 * (`item_…`) that the update joined to name each report.
 */
export function runOfGroupRow(row: RunRow, inputColumns: readonly string[]): RunRow {
  const run: Record<string, unknown> = { ...row };
  for (const column of inputColumns) delete run[column];
  return run as unknown as RunRow;
}
