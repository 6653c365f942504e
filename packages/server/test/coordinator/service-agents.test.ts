import { describe, expect, it } from 'vitest';
import { markStaleServicesUnhealthy } from '../../src/coordinator/maintenance/index.ts';
import { testBackends } from '../helpers/backends.ts';
import { useHarness } from './coordinator-harness.ts';

const ZONE = 'zone_services';

describe.each(testBackends())('service agents on $name', (backend) => {
  const { harness, tokens } = useHarness(backend, { zoneId: ZONE, tokens: { token: 'app_svc', other: 'app_else' } });

  const register = (body: Record<string, unknown>, bearer = tokens.token, headers?: Record<string, string>) =>
    harness.call({ method: 'POST', url: `/zones/${ZONE}/services`, token: bearer, body, ...(headers === undefined ? {} : { headers }) });
  const count = async (type: string, serviceId: string) =>
    (
      await harness.database.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM caracal_outbox WHERE event_type = $1 AND payload->>'service_id' = $2`,
        [type, serviceId],
      )
    ).rows[0]!.count;

  it('registers, re-registers by name, renews its lease by heartbeat and lapses to unhealthy without one', async () => {
    const session = (await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token: tokens.token, body: { kind: 'service' } })).json();
    const created = await register({ name: 'indexer', endpoint: 'https://indexer.local', lease_seconds: 30, agent_session_id: session.agent_session_id });
    expect(created.statusCode).toBe(201);
    const service = created.json();
    expect(service).toMatchObject({ name: 'indexer', status: 'healthy', lease_seconds: 30, application_id: 'app_svc' });
    expect(service.service_id).toMatch(/^svc_/);
    const again = await register({ name: 'indexer', endpoint: 'https://indexer-2.local' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ service_id: service.service_id, endpoint: 'https://indexer-2.local' });

    harness.clock.advance(20_000);
    const beat = await harness.call({ method: 'POST', url: `/zones/${ZONE}/services/${service.service_id}/heartbeat`, token: tokens.token });
    expect(beat.json()).toMatchObject({ service_id: service.service_id, status: 'healthy' });
    harness.clock.advance(20_000);
    expect(await markStaleServicesUnhealthy(harness.database, new Date(harness.clock.now()))).toBe(0);
    harness.clock.advance(15_000);
    expect(await markStaleServicesUnhealthy(harness.database, new Date(harness.clock.now()))).toBe(1);
    expect(await markStaleServicesUnhealthy(harness.database, new Date(harness.clock.now()))).toBe(0);
    expect((await harness.call({ method: 'GET', url: `/zones/${ZONE}/services/${service.service_id}`, token: tokens.token })).json().status).toBe('unhealthy');
    expect(await count('service_unhealthy', service.service_id)).toBe(1);
    const revived = await harness.call({ method: 'POST', url: `/zones/${ZONE}/services/${service.service_id}/heartbeat`, token: tokens.token, body: { lease_seconds: 60 } });
    expect(revived.json().status).toBe('healthy');
    expect(await count('service_healthy', service.service_id)).toBe(1);

    const list = await harness.call({ method: 'GET', url: `/zones/${ZONE}/services?status=healthy&name=indexer`, token: tokens.token });
    expect(list.json().items.map((item: { id: string }) => item.id)).toEqual([service.service_id]);
    expect((await harness.call({ method: 'GET', url: `/zones/${ZONE}/services/${service.service_id}`, token: tokens.other })).statusCode).toBe(403);
    expect((await harness.call({ method: 'POST', url: `/zones/${ZONE}/services/${service.service_id}/heartbeat`, token: tokens.other })).statusCode).toBe(403);

    const gone = await harness.call({ method: 'DELETE', url: `/zones/${ZONE}/services/${service.service_id}`, token: tokens.token });
    expect(gone.json()).toEqual({ deregistered: true });
    const late = await harness.call({ method: 'POST', url: `/zones/${ZONE}/services/${service.service_id}/heartbeat`, token: tokens.token });
    expect(late.statusCode).toBe(409);
    const fresh = await register({ name: 'indexer' });
    expect(fresh.statusCode).toBe(201);
    expect(fresh.json().service_id).not.toBe(service.service_id);
  });

  it('replays a registration with the same Idempotency-Key', async () => {
    const first = await register({ name: 'replayed' }, tokens.token, { 'idempotency-key': 'svc-1' });
    const second = await register({ name: 'replayed' }, tokens.token, { 'idempotency-key': 'svc-1' });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect((await register({ name: 'other-name' }, tokens.token, { 'idempotency-key': 'svc-1' })).statusCode).toBe(409);
  });

  it('refuses a backing session of another application', async () => {
    const theirs = (await harness.call({ method: 'POST', url: `/zones/${ZONE}/agents`, token: tokens.other, body: {} })).json();
    const response = await register({ name: 'borrowed', agent_session_id: theirs.agent_session_id });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ error: 'application_mismatch', error_description: 'the backing session belongs to another application' });
    const list = await harness.call({ method: 'GET', url: `/zones/${ZONE}/services?name=borrowed`, token: tokens.token });
    expect(list.json()).toEqual({ items: [], next_cursor: null });
    const registered = await harness.database.query(
      `SELECT 1 FROM caracal_outbox WHERE event_type = 'service_registered' AND payload->>'agent_session_id' = $1`,
      [theirs.agent_session_id],
    );
    expect(registered.rows).toEqual([]);
  });

  it('answers every field of a service agent on a registration, a read, a list and a heartbeat', async () => {
    const fields = ['agent_session_id', 'application_id', 'capabilities', 'deregistered_at', 'endpoint', 'id', 'last_heartbeat_at',
      'lease_expires_at', 'lease_seconds', 'metadata', 'name', 'registered_at', 'status', 'zone_id'].sort();
    const created = (await register({ name: 'fields', capabilities: ['index'], metadata: { v: 1 } })).json();
    expect(Object.keys(created).sort()).toEqual(['service_id', ...fields].sort());
    const read = await harness.call({ method: 'GET', url: `/zones/${ZONE}/services/${created.service_id}`, token: tokens.token });
    expect(read.json()).toEqual(Object.fromEntries(Object.entries(created).filter(([key]) => key !== 'service_id')));
    const list = await harness.call({ method: 'GET', url: `/zones/${ZONE}/services?name=fields`, token: tokens.token });
    expect(Object.keys(list.json().items[0]).sort()).toEqual(fields);
    const beat = await harness.call({ method: 'POST', url: `/zones/${ZONE}/services/${created.service_id}/heartbeat`, token: tokens.token });
    expect(Object.keys(beat.json()).sort()).toEqual(['lease_expires_at', 'service_id', 'status']);
  });
});
