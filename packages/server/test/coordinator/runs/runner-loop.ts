import type { ServerRunsClient } from './server-runs-client.ts';

/**
 * A minimal runner: long-polls, and for each run it gets reports started then completed
 * (`session_status: finished`), until `signal` aborts. Each run id received is passed to `onRun`
 * before it is reported, so a caller sees a run handed out twice.
 */
export async function runRunnerLoop(options: {
  client: ServerRunsClient;
  runnerId: string;
  signal: AbortSignal;
  onRun: (runId: string) => void;
  waitSeconds?: number;
}): Promise<void> {
  const { client, runnerId, signal } = options;
  while (!signal.aborted) {
    const polled = await client.call('GET', `/runner/runs?runner_id=${runnerId}&wait_seconds=${options.waitSeconds ?? 2}`);
    if (polled.status === 204) continue;
    if (polled.status !== 200) throw new Error(`poll answered ${polled.status} ${JSON.stringify(polled.body)}`);
    const runId = polled.body.run?.run_id as string | undefined;
    if (runId === undefined) continue;
    options.onRun(runId);
    const started = await client.call('POST', `/runner/runs/${runId}/started`, { runner_id: runnerId });
    if (started.status !== 200) throw new Error(`started answered ${started.status} ${JSON.stringify(started.body)}`);
    const completed = await client.call('POST', `/runner/runs/${runId}/completed`, { runner_id: runnerId, status: 'completed', session_status: 'finished' });
    if (completed.status !== 200) throw new Error(`completed answered ${completed.status} ${JSON.stringify(completed.body)}`);
  }
}
