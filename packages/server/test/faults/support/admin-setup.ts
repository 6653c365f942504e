/** A zone with applications created through the admin API of a running server. */
export interface AdminZone {
  zoneId: string;
  applications: Record<string, { id: string; secret: string }>;
}

async function adminPost(url: string, adminToken: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

export async function createAdminZone(
  url: string,
  adminToken: string,
  options: { zoneId: string; applications: Record<string, string[]> },
): Promise<AdminZone> {
  await adminPost(url, adminToken, '/admin/zones', { id: options.zoneId });
  const applications: AdminZone['applications'] = {};
  for (const [id, scopes] of Object.entries(options.applications)) {
    const created = await adminPost(url, adminToken, `/admin/zones/${options.zoneId}/applications`, { id, scopes });
    applications[id] = { id, secret: created.client_secret as string };
  }
  return { zoneId: options.zoneId, applications };
}

/** A session mandate (scope agent:lifecycle plus the application's scopes) by client_credentials. */
export async function sessionToken(url: string, application: { id: string; secret: string }): Promise<string> {
  const response = await fetch(`${url}/oauth/2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: application.id, client_secret: application.secret }),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`client_credentials: ${response.status} ${JSON.stringify(answer)}`);
  return answer.access_token as string;
}
