import type { BenchClient } from './load.ts';

/** Where the load runs: a zone, its application's session mandate and a resource it may call. */
export interface Tenant {
  zoneId: string;
  token: string;
  resource: string;
}

const ok = (status: number) => status >= 200 && status < 300;
/** A terminate that finds the session already ended (404 after a retried DELETE) is not an error. */
const ended = (status: number) => ok(status) || status === 404;

/** Ends a session, retrying a failed DELETE a few times so a fault does not leave it live (holding a seat). */
async function terminate(client: BenchClient, tenant: Tenant, id: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const answer = await client.call('terminate', { method: 'DELETE', path: `/zones/${tenant.zoneId}/agents/${id}`, token: tenant.token }, ended);
    if (ended(answer.status)) return;
  }
}

async function spawn(client: BenchClient, tenant: Tenant): Promise<string | undefined> {
  const answer = await client.call('spawn', { method: 'POST', path: `/zones/${tenant.zoneId}/agents`, token: tenant.token, json: {} });
  return answer.status === 201 ? (answer.body.agent_session_id as string) : undefined;
}

/** Spawn a root session, then terminate it: 2 requests. */
export async function churnCycle(client: BenchClient, tenant: Tenant): Promise<void> {
  const id = await spawn(client, tenant);
  if (id !== undefined) await terminate(client, tenant, id);
}

/**
 * A session that works and reports it: spawn, a batch of timeline events (run start, a tool call,
 * a result), a first page of its timeline read back, then `run_completed`, which ends the run and
 * the session's authority; the terminate after it finds the session ended: 5 requests.
 */
export async function timelineCycle(client: BenchClient, tenant: Tenant): Promise<void> {
  const id = await spawn(client, tenant);
  if (id === undefined) return;
  try {
    const events = `/sessions/${id}/events`;
    const posted = await client.call('timeline post', {
      method: 'POST',
      path: events,
      token: tenant.token,
      json: [
        { event_type: 'run_start', run_id: 'soak' },
        { event_type: 'pre_tool', run_id: 'soak', tool_name: 'search', tool_input: { query: 'soak' } },
        { event_type: 'post_tool', run_id: 'soak', tool_name: 'search', tool_output: { hits: 3 } },
        { event_type: 'result', run_id: 'soak', result_text: 'done', result_data: { hits: 3 } },
      ],
    });
    if (!ok(posted.status)) return;
    await client.call('timeline read', { method: 'GET', path: `${events}?limit=100`, token: tenant.token });
    await client.call('run completed', { method: 'POST', path: events, token: tenant.token, json: { event_type: 'run_completed', run_id: 'soak' } });
  } finally {
    await terminate(client, tenant, id);
  }
}

/**
 * Two sessions, an edge between them, a per-call mandate through the edge (token exchange), the
 * edge revoked, both sessions terminated: 7 requests. `pick` chooses the replica of each request.
 */
export async function delegationCycle(pick: () => BenchClient, tenant: Tenant): Promise<void> {
  const source = await spawn(pick(), tenant);
  const target = await spawn(pick(), tenant);
  try {
    if (source === undefined || target === undefined) return;
    const edge = await pick().call('delegate', {
      method: 'POST',
      path: `/zones/${tenant.zoneId}/delegations`,
      token: tenant.token,
      json: { source_session_id: source, target_session_id: target, scopes: ['tools:call'], resource_id: tenant.resource, ttl_seconds: 600 },
    });
    if (edge.status !== 201) return;
    const edgeId = edge.body.delegation_edge_id as string;
    await pick().call('exchange', {
      method: 'POST',
      path: '/oauth/2/token',
      form: {
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: tenant.token,
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        resource: tenant.resource,
        scope: 'tools:call',
        agent_session_id: target,
        delegation_edge_id: edgeId,
      },
    });
    await pick().call('revoke', { method: 'POST', path: `/zones/${tenant.zoneId}/delegations/${edgeId}/revoke`, token: tenant.token, json: {} });
  } finally {
    if (source !== undefined) await terminate(pick(), tenant, source);
    if (target !== undefined) await terminate(pick(), tenant, target);
  }
}
