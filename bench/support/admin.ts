import type { Pool } from 'undici';

/** One application's credentials, created through the admin API. */
export interface BenchApplication {
  id: string;
  secret: string;
}

async function json(pool: Pool, request: Parameters<Pool['request']>[0]): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await pool.request(request);
  const text = await response.body.text();
  return { status: response.statusCode, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Creates `zoneId` and its applications (each with `scopes`); an existing zone is reused. */
export async function createZone(
  pool: Pool,
  adminToken: string,
  zoneId: string,
  applications: Record<string, string[]>,
): Promise<Record<string, BenchApplication>> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const zone = await json(pool, { method: 'POST', path: '/admin/zones', headers, body: JSON.stringify({ id: zoneId }) });
  if (zone.status >= 300 && zone.status !== 409) throw new Error(`create zone: ${zone.status} ${JSON.stringify(zone.body)}`);
  const created: Record<string, BenchApplication> = {};
  for (const [id, scopes] of Object.entries(applications)) {
    const answer = await json(pool, {
      method: 'POST',
      path: `/admin/zones/${zoneId}/applications`,
      headers,
      body: JSON.stringify({ id, scopes }),
    });
    if (answer.status >= 300) throw new Error(`create application: ${answer.status} ${JSON.stringify(answer.body)}`);
    created[id] = { id, secret: answer.body.client_secret as string };
  }
  return created;
}

/** A session mandate for `application` by the client_credentials grant. */
export async function applicationToken(pool: Pool, application: BenchApplication): Promise<string> {
  const answer = await json(pool, {
    method: 'POST',
    path: '/oauth/2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: application.id, client_secret: application.secret }).toString(),
  });
  if (answer.status !== 200) throw new Error(`client_credentials: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.access_token as string;
}
