import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { testBackends } from '../helpers/backends.ts';
import { useHarness } from './coordinator-harness.ts';
import { malformedRequests, type Fixtures } from './malformed-requests.ts';

const ZONE = 'zone_fuzz';
const REQUESTS = 10_500;

/** Everything the Coordinator stores, reduced to something comparable: counts and the states of rows. */
async function fingerprint(database: Database): Promise<string> {
  const result = await database.query<{ snapshot: string }>(
    `SELECT concat_ws('|',
       (SELECT count(*) || ':' || coalesce(string_agg(id || status || live_children || run_status || coalesce(hostname, '')
          || coalesce(seed_deleted_at::text, ''), ',' ORDER BY id), '') FROM agent_sessions),
       (SELECT count(*) || ':' || coalesce(max(id), 0) FROM session_events),
       (SELECT count(*) || ':' || coalesce(string_agg(id || status, ',' ORDER BY id), '') FROM delegation_edges),
       (SELECT count(*) || ':' || coalesce(string_agg(id || status, ',' ORDER BY id), '') FROM agent_invocations),
       (SELECT count(*) || ':' || coalesce(string_agg(id || status || lease_expires_at::text, ',' ORDER BY id), '') FROM agent_services),
       (SELECT count(*) FROM agent_session_seats WHERE holder_session_id IS NOT NULL),
       (SELECT count(*) FROM coordinator_idempotency_receipts),
       (SELECT coalesce(string_agg(zone_id || epoch, ',' ORDER BY zone_id), '') FROM delegation_graph_epochs),
       (SELECT count(*) || ':' || coalesce(string_agg(id || status || coalesce(runner_id, ''), ',' ORDER BY id), '') FROM runs),
       (SELECT count(*) || ':' || coalesce(string_agg(id || last_heartbeat_at::text, ',' ORDER BY id), '') FROM runners),
       (SELECT count(*) FROM session_events),
       (SELECT count(*) FROM caracal_outbox)) AS snapshot`,
  );
  return result.rows[0]!.snapshot;
}

/** Every file under `root` (the blueprint directories) with its content and modification time. */
function directoryFingerprint(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const full = join(root, path);
    const info = statSync(full);
    files[path] = info.isDirectory() ? `dir ${info.mtimeMs}` : `${info.mtimeMs} ${readFileSync(full, 'utf8')}`;
  }
  return files;
}

/**
 * Sends more than 10,000 malformed requests across every Coordinator route — wrong types, huge and
 * broken bodies, bad ids, unknown fields, missing or invalid bearers, ids that do not exist — and
 * checks each answer is a 4xx `{ error, error_description }` and that nothing stored changed.
 */
describe.each(testBackends())('malformed requests on $name', (backend) => {
  const { harness } = useHarness(backend);
  let fixtures: Fixtures;

  beforeAll(async () => {
    const token = await harness.mint({ zoneId: ZONE, clientId: 'app_fuzz', scopes: ['agent:lifecycle', 'tools:call'] });
    const call = (method: string, url: string, body: unknown) => harness.call({ method, url, token, body });
    const session = (await call('POST', `/zones/${ZONE}/agents`, {})).json().agent_session_id;
    const peer = (await call('POST', `/zones/${ZONE}/agents`, {})).json().agent_session_id;
    const edge = (await call('POST', `/zones/${ZONE}/delegations`, { source_session_id: session, target_session_id: peer, scopes: ['tools:call'] })).json().id;
    const invocation = (await call('POST', `/zones/${ZONE}/invocations`, { agent_session_id: session, operation: 'op' })).json().id;
    const service = (await call('POST', `/zones/${ZONE}/services`, { name: 'svc' })).json().id;
    const run = (await call('POST', '/runs', { type: 'start_session', parameters: { prompt: 'p' } })).json().run_id;
    const runner = (await call('POST', '/runner/register', { hostname: 'h', project_dir: '/p', executor_profile: 'default', executor: { type: 't' } })).json()
      .runner_id;
    const operatorToken = await harness.mint({ zoneId: ZONE, clientId: 'app_operator', scopes: ['agent:lifecycle', 'caracal:admin'] });
    const blueprint = (await harness.call({ method: 'POST', url: '/agents', token: operatorToken, body: { name: 'fuzz-blueprint', tags: ['fuzz'] } })).json().name;
    fixtures = {
      zoneId: ZONE,
      token,
      otherZoneToken: await harness.mint({ zoneId: 'zone_elsewhere', clientId: 'app_fuzz' }),
      noScopeToken: await harness.mint({ zoneId: ZONE, clientId: 'app_fuzz', scopes: ['tools:call'] }),
      strangerToken: await harness.mint({ zoneId: ZONE, clientId: 'app_stranger' }),
      expiredToken: await harness.mint({ zoneId: ZONE, clientId: 'app_fuzz', expiresInSeconds: -60 }),
      session,
      peer,
      edge,
      invocation,
      service,
      run,
      runner,
      operatorToken,
      blueprint,
    };
  });

  it(`answers ${REQUESTS} malformed requests with 4xx errors and changes nothing`, async () => {
    const before = await fingerprint(harness.database);
    const blueprintsBefore = directoryFingerprint(harness.agentsDir);
    const requests = malformedRequests(fixtures, REQUESTS, 20_250_101);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let start = 0; start < requests.length; start += 25) {
      const slice = requests.slice(start, start + 25);
      const responses = await Promise.all(slice.map((request) => harness.app.inject(request)));
      responses.forEach((response, index) => {
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        let body: { error?: unknown; error_description?: unknown } = {};
        try {
          body = response.json();
        } catch {
          // a non-JSON answer fails below
        }
        const ok =
          response.statusCode >= 400 &&
          response.statusCode < 500 &&
          typeof body.error === 'string' &&
          typeof body.error_description === 'string';
        if (!ok && failures.length < 10) {
          const request = slice[index]!;
          failures.push(`${request.method} ${request.url} ${String(request.payload).slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 200)}`);
        }
      });
    }
    expect(failures).toEqual([]);
    expect(await fingerprint(harness.database)).toBe(before);
    expect(directoryFingerprint(harness.agentsDir)).toEqual(blueprintsBefore);
    expect(statuses.get(400)).toBeGreaterThan(1000);
    expect(statuses.get(401)).toBeGreaterThan(500);
    expect(statuses.get(403)).toBeGreaterThan(500);
    expect(statuses.get(404)).toBeGreaterThan(100);
  }, 180_000);
});
