import type { Database } from '../../../src/db/database.ts';
import type { ChaosLedger, ChaosWorker } from './chaos-load.ts';
import type { ServerProcess } from './server-process.ts';

/** pino's level number for `warn`: the servers log backend faults at warn and above. */
const WARN_LEVEL = 40;

/**
 * The servers' warnings and errors, counted by message and error code (what explains each 5xx
 * the load was answered: "backend unavailable: ECONNREFUSED" while Redis was down, …).
 */
export function countServerWarnings(servers: ServerProcess[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const server of servers) {
    for (const line of server.log().split('\n')) {
      if (!line.startsWith('{')) continue;
      let entry: { level?: number; msg?: string; err?: { code?: string; type?: string } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue; // the first line of the tail may be cut
      }
      if ((entry.level ?? 0) < WARN_LEVEL) continue;
      const label = `${entry.msg ?? '?'}${entry.err === undefined ? '' : `: ${entry.err.code ?? entry.err.type ?? 'error'}`}`;
      counts[label] = (counts[label] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * What the load and the servers were doing when it stopped making progress: each worker's
 * request in flight, the answers so far, the servers' Postgres backends (with what blocks them),
 * which replicas are alive, and their warnings.
 */
export async function describeStall(options: {
  workers: ChaosWorker[];
  ledger: ChaosLedger;
  database: Database;
  applicationName: string;
  replicas: Array<ServerProcess | undefined>;
  started: ServerProcess[];
}): Promise<string> {
  const now = Date.now();
  const inFlight = options.workers.map((worker) =>
    worker.inFlight === undefined ? 'between requests' : `${worker.inFlight.method} ${worker.inFlight.url} for ${now - worker.inFlight.since} ms`,
  );
  const backends = await options.database
    .query(
      `SELECT pid, state, wait_event_type, wait_event, pg_blocking_pids(pid) AS blocked_by, (now() - xact_start)::text AS in_transaction_for, left(query, 160) AS query
       FROM pg_stat_activity WHERE application_name = $1`,
      [options.applicationName],
    )
    .then(({ rows }) => rows, (error: unknown) => `unreadable: ${String(error)}`);
  const replicas = options.replicas.map((replica) => (replica === undefined ? 'down' : `${replica.url} pid ${replica.child.pid} exit ${replica.child.exitCode ?? replica.child.signalCode ?? 'none'}`));
  return [
    `in flight: ${JSON.stringify(inFlight)}`,
    `answers: ${JSON.stringify(Object.fromEntries(options.ledger.byStatus))}; unexpected: ${JSON.stringify(options.ledger.unexpected.slice(0, 5))}`,
    `replicas: ${JSON.stringify(replicas)}`,
    `their Postgres backends: ${JSON.stringify(backends)}`,
    `their warnings: ${JSON.stringify(countServerWarnings(options.started))}`,
    `stderr: ${options.started.map((server) => server.stderr().slice(-1000)).join(' | ')}`,
  ].join('\n');
}

/**
 * For each session whose revocation never reached the verifier: its `session_revoked` outbox
 * rows (and the stream ids the bus subscriber saw them at), when the load saw it terminated, the
 * faults around that moment and where the verifier's feed stood.
 */
export async function describeMissingRevocations(options: {
  missing: string[];
  database: Database;
  streamIds: ReadonlyMap<string, string[]>;
  terminatedAt: ReadonlyMap<string, number>;
  faultTimes: ReadonlyArray<{ fault: string; at: number }>;
  feedCursor: string | undefined;
  startedAt: number;
}): Promise<string> {
  const since = (at: number | undefined) => (at === undefined ? '?' : `+${((at - options.startedAt) / 1000).toFixed(2)} s`);
  const lines = [`faults: ${options.faultTimes.map(({ fault, at }) => `${fault} ${since(at)}`).join(', ')}`, `feed cursor: ${options.feedCursor ?? 'none'}`];
  for (const id of options.missing.slice(0, 5)) {
    const { rows } = await options.database.query<{ id: string; status: string; attempts: number; created_at: Date; published_at: Date | null }>(
      `SELECT id::text AS id, status, attempts, created_at, published_at FROM caracal_outbox WHERE event_type = 'session_revoked' AND payload->>'agent_session_id' = $1`,
      [id],
    );
    const outbox = rows.map((row) => `${row.id} ${row.status} attempts ${row.attempts} created ${since(row.created_at.getTime())} published ${since(row.published_at?.getTime())} stream ids ${JSON.stringify(options.streamIds.get(row.id) ?? [])}`);
    lines.push(`${id}: terminated ${since(options.terminatedAt.get(id))}; outbox ${JSON.stringify(outbox)}`);
  }
  return lines.join('\n');
}
