import type { RunRow } from '../runs/run-row.ts';

/** What a group's statement needs of each report's caller (heldRunChecks over the input's columns). */
export interface GroupedReport {
  runnerId: string;
  zoneId: string;
  admin: boolean;
  clientId: string;
}

/**
 * The input arrays of a group's reports that name them and their callers, in the order a group's
 * input unnests them: the report's place (`item_ordinal`), its runner, the caller's zone, admin
 * flag and client.
 */
export function groupCallerParameters(reports: readonly GroupedReport[]): unknown[] {
  return [
    reports.map((_, ordinal) => ordinal),
    reports.map((report) => report.runnerId),
    reports.map((report) => report.zoneId),
    reports.map((report) => report.admin),
    reports.map((report) => report.clientId),
  ];
}

/**
 * Each report's run as its group's statement moved it, by the report's place (`item_ordinal`);
 * undefined for a report whose run did not move. The input's columns (`item_…`), which the update
 * joined to name each report, are left out.
 */
export function movedByReport(rows: readonly RunRow[], reportCount: number, inputColumns: readonly string[]): Array<RunRow | undefined> {
  const moved: Array<RunRow | undefined> = Array.from({ length: reportCount }, () => undefined);
  for (const row of rows) {
    const run: Record<string, unknown> = { ...row };
    const ordinal = Number(run['item_ordinal']);
    for (const column of inputColumns) delete run[column];
    moved[ordinal] = run as unknown as RunRow;
  }
  return moved;
}
