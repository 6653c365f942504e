import { createAdminZone, sessionToken } from '../../faults/support/admin-setup.ts';

/** The fields of the runs routes' answers the tests read. */
export interface AnswerBody {
  run?: { run_id: string; status: string; error: string | null };
  run_id?: string;
  runner_id?: string;
  [field: string]: unknown;
}

/** Calls of the runs routes on a running server over HTTP (`fetch`), with one application's mandate. */
export interface ServerRunsClient {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: AnswerBody }>;
}

export function serverRunsClient(url: () => string, token: string): ServerRunsClient {
  return {
    async call(method, path, body) {
      const response = await fetch(`${url()}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as AnswerBody) };
    },
  };
}

/** A zone with one application holding `agent:lifecycle`, and its session mandate. */
export async function runsZone(url: string, adminToken: string, zoneId: string): Promise<string> {
  const zone = await createAdminZone(url, adminToken, { zoneId, applications: { app_runs: ['tools:call'] } });
  return sessionToken(url, zone.applications.app_runs!);
}
