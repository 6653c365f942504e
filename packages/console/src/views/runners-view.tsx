import type { Runner } from '@caracal/protocol';
import { rowsOf, type AdminClient } from '../api/console-api.ts';
import { RefreshableList } from './refreshable-list.tsx';
import { useRows } from './use-rows.ts';

/** The runners registered in the zone and whether their heartbeat is current. */
export function RunnersView({ api }: { api: AdminClient }) {
  const list = useRows<Runner>(() => rowsOf<Runner>(api.runners.list(), 'runners'));
  return (
    <RefreshableList id="runners" title="Runners" empty="No runners registered." {...list}>
      {(rows) => (
        <table aria-label="Runners" class="plain">
          <thead>
            <tr>
              <th>Runner</th>
              <th>Status</th>
              <th>Host</th>
              <th>Profile</th>
              <th>Blueprints</th>
              <th>Tags</th>
              <th>Last heartbeat</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((runner) => (
              <tr key={runner.runner_id} data-status={runner.status}>
                <td class="mono">{runner.runner_id}</td>
                <td>{runner.status}</td>
                <td>{runner.hostname}</td>
                <td>{runner.executor_profile}</td>
                <td>{runner.blueprints.join(', ') || 'any'}</td>
                <td>{runner.tags.join(', ') || '—'}</td>
                <td>{runner.last_heartbeat_at}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </RefreshableList>
  );
}
