import type { Run } from '@caracal/protocol';
import { rowsOf, type AdminClient } from '../api/console-api.ts';
import { RefreshableList } from './refreshable-list.tsx';
import { useRows } from './use-rows.ts';

const FINAL = new Set(['completed', 'failed', 'stopped']);

/** Runs of the zone, newest first, with "Stop run" on those still going. */
export function RunsView({ api, onStop }: { api: AdminClient; onStop: (run: Run, done: () => void) => void }) {
  const list = useRows<Run>(() => rowsOf<Run>(api.runs.list({ limit: 200 }), 'runs', 500));
  return (
    <RefreshableList id="runs" title="Runs" empty="No runs." {...list}>
      {(rows) => (
        <table aria-label="Runs" class="plain">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th>Session</th>
              <th>Blueprint</th>
              <th>Runner</th>
              <th>Created</th>
              <th>
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((run) => (
              <tr key={run.run_id} data-status={run.status}>
                <td class="mono">{run.run_id}</td>
                <td>{run.status}</td>
                <td class="mono">{run.session_id}</td>
                <td>{run.agent_name ?? '—'}</td>
                <td class="mono">{run.runner_id ?? '—'}</td>
                <td>{run.created_at}</td>
                <td>
                  {!FINAL.has(run.status) && run.status !== 'stopping' && (
                    <button type="button" class="danger" aria-label="Stop run" data-run-id={run.run_id} onClick={() => onStop(run, list.reload)}>
                      Stop run
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </RefreshableList>
  );
}
