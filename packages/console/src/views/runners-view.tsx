import type { Runner } from '@caracal/protocol';
import { rowsOf, type AdminClient } from '../api/console-api.ts';
import { DataTable, type Column } from './data-table.tsx';
import { RefreshableList } from './refreshable-list.tsx';
import { useRows } from './use-rows.ts';

const COLUMNS: ReadonlyArray<Column<Runner>> = [
  { header: 'Runner', cell: (runner) => runner.runner_id, mono: true },
  { header: 'Status', cell: (runner) => runner.status },
  { header: 'Host', cell: (runner) => runner.hostname },
  { header: 'Profile', cell: (runner) => runner.executor_profile },
  { header: 'Blueprints', cell: (runner) => runner.blueprints.join(', ') || 'any' },
  { header: 'Tags', cell: (runner) => runner.tags.join(', ') || '—' },
  { header: 'Last heartbeat', cell: (runner) => runner.last_heartbeat_at },
];

/** The runners registered in the zone and whether their heartbeat is current. */
export function RunnersView({ api }: { api: AdminClient }) {
  const list = useRows<Runner>(() => rowsOf<Runner>(api.runners.list(), 'runners'));
  return (
    <RefreshableList id="runners" title="Runners" empty="No runners registered." {...list}>
      {(rows) => <DataTable label="Runners" columns={COLUMNS} rows={rows} keyOf={(runner) => runner.runner_id} statusOf={(runner) => runner.status} />}
    </RefreshableList>
  );
}
