import type { Run } from '@caracal/protocol';
import { rowsOf, type AdminClient } from '../api/console-api.ts';
import { useFeedReload, type FeedEventHead } from '../live/use-feed-reload.ts';
import { DataTable, type Column } from './data-table.tsx';
import { RefreshableList } from './refreshable-list.tsx';
import { useRows } from './use-rows.ts';

const FINAL = new Set(['completed', 'failed', 'stopped']);

const COLUMNS: ReadonlyArray<Column<Run>> = [
  { header: 'Run', cell: (run) => run.run_id, mono: true },
  { header: 'Status', cell: (run) => run.status },
  { header: 'Session', cell: (run) => run.session_id, mono: true },
  { header: 'Blueprint', cell: (run) => run.agent_name ?? '—' },
  { header: 'Runner', cell: (run) => run.runner_id ?? '—', mono: true },
  { header: 'Created', cell: (run) => run.created_at },
];

/** A run's facts on the timeline feed: session events `run_created`, `run_claimed`, `run_started`, … */
function isRunFact(event: FeedEventHead): boolean {
  if (event.type !== 'session_event' || typeof event.payload !== 'object' || event.payload === null) return false;
  const eventType = (event.payload as { event_type?: unknown }).event_type;
  return typeof eventType === 'string' && eventType.startsWith('run_');
}

export interface RunsViewProps {
  api: AdminClient;
  zoneId: string;
  token: () => string;
  onStop: (run: Run, done: () => void) => void;
}

/** Runs of the zone, newest first, kept current from the timeline feed, with "Stop run" on those still going. */
export function RunsView({ api, zoneId, token, onStop }: RunsViewProps) {
  const list = useRows<Run>(() => rowsOf<Run>(api.runs.list({ limit: 200 }), 'runs', 500));
  useFeedReload({ zoneId, token, changesList: isRunFact, reload: list.reload });
  const actions: Column<Run> = {
    header: <span class="visually-hidden">Actions</span>,
    cell: (run) =>
      !FINAL.has(run.status) &&
      run.status !== 'stopping' && (
        <button type="button" class="danger" aria-label="Stop run" data-run-id={run.run_id} onClick={() => onStop(run, list.reload)}>
          Stop run
        </button>
      ),
  };
  return (
    <RefreshableList id="runs" title="Runs" empty="No runs." {...list}>
      {(rows) => <DataTable label="Runs" columns={[...COLUMNS, actions]} rows={rows} keyOf={(run) => run.run_id} statusOf={(run) => run.status} />}
    </RefreshableList>
  );
}
