import { expect } from 'vitest';
import type { Harness } from '../coordinator-harness.ts';

/** Test calls of the runs and runner routes over one harness. */
export function runClient(harness: Harness) {
  const call = (method: string, url: string, token: string, body?: unknown) => harness.call({ method, url, token, ...(body === undefined ? {} : { body }) });
  return {
    call,
    async createRun(token: string, body: Record<string, unknown> = {}): Promise<{ run_id: string; session_id: string }> {
      const response = await call('POST', '/runs', token, { type: 'start_session', parameters: { prompt: 'hello' }, ...body });
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    },
    async register(token: string, body: Record<string, unknown> = {}): Promise<string> {
      const response = await call('POST', '/runner/register', token, {
        hostname: 'host-a',
        project_dir: '/work/project',
        executor_profile: 'default',
        executor: { type: 'test', command: 'run-agent' },
        ...body,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json().runner_id as string;
    },
    poll: (token: string, runnerId: string, waitSeconds = 0) => call('GET', `/runner/runs?runner_id=${runnerId}&wait_seconds=${waitSeconds}`, token),
    report: (token: string, runId: string, action: 'started' | 'completed' | 'failed' | 'stopped', body: Record<string, unknown>) =>
      call('POST', `/runner/runs/${runId}/${action}`, token, body),
    async run(token: string, runId: string): Promise<Record<string, unknown>> {
      const response = await call('GET', `/runs/${runId}`, token);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().run;
    },
    async session(sessionId: string): Promise<{ run_status: string; status: string; agent_name: string | null; last_resumed_at: unknown }> {
      const { rows } = await harness.database.query<{ run_status: string; status: string; agent_name: string | null; last_resumed_at: unknown }>(
        'SELECT run_status, status, agent_name, last_resumed_at FROM agent_sessions WHERE id = $1',
        [sessionId],
      );
      return rows[0]!;
    },
    async timeline(sessionId: string): Promise<Array<{ event_type: string; run_id: string | null; source: string }>> {
      const { rows } = await harness.database.query<{ event_type: string; run_id: string | null; source: string }>(
        'SELECT event_type, run_id, source FROM session_events WHERE session_id = $1 ORDER BY id',
        [sessionId],
      );
      return rows;
    },
  };
}
