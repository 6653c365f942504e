import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema } from '../../helpers/backends.ts';
import { createAdminZone } from '../../faults/support/admin-setup.ts';
import { startServerProcess, type ServerProcess } from '../../faults/support/server-process.ts';

const databaseUrl = process.env.CARACAL_TEST_DATABASE_URL;
const redisUrl = process.env.CARACAL_TEST_REDIS_URL;
const ADMIN_TOKEN = 'blueprint-replicas-admin-token';

/**
 * Two server processes on one Postgres schema and one agents dir (the shared directory is the
 * store: docs/decisions/2026-12-04-blueprint-store.md): what one writes, the other reads.
 */
describe.runIf(databaseUrl !== undefined && redisUrl !== undefined)('blueprints on two server processes', () => {
  const schema = `blueprints_${randomBytes(6).toString('hex')}`;
  const agentsDir = mkdtempSync(join(tmpdir(), 'caracal-replica-agents-'));
  const zoneId = `zone_bp_${randomBytes(4).toString('hex')}`;
  const replicas: ServerProcess[] = [];
  let operator: string;

  beforeAll(async () => {
    const env = {
      DATABASE_URL: databaseUrl!,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl!,
      CARACAL_REDIS_KEY_PREFIX: `${schema}:`,
      CARACAL_ADMIN_TOKEN: ADMIN_TOKEN,
      CARACAL_EVENT_SECRET: 'blueprint-replicas-event-secret',
      CARACAL_KEY_SECRET: 'blueprint-replicas-key-secret',
      CARACAL_PUBLIC_URL: 'https://caracal.blueprints.test',
      AGENT_ORCHESTRATOR_AGENTS_DIR: agentsDir,
    };
    // One first, so the schema is migrated once; then the second on the ready schema.
    replicas.push(await startServerProcess(env));
    replicas.push(await startServerProcess(env));
    await createAdminZone(replicas[0]!.url, ADMIN_TOKEN, { zoneId, applications: {} });
    const response = await fetch(`${replicas[1]!.url}/admin/zones/${zoneId}/operator-token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    operator = ((await response.json()) as { access_token: string }).access_token;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.kill('SIGTERM')));
    await dropSchema(schema);
    rmSync(agentsDir, { recursive: true, force: true });
  });

  const call = async (replica: number, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${replicas[replica]!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${operator}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  };

  it('reads on one replica what the other created, changed, disabled and deleted', async () => {
    expect((await call(0, 'POST', '/agents', { name: 'shared', description: 'from replica 0', tags: ['x'] })).status).toBe(201);
    expect((await call(1, 'GET', '/agents/shared')).body).toMatchObject({ name: 'shared', description: 'from replica 0', status: 'active' });
    expect((await call(1, 'PATCH', '/agents/shared', { description: 'from replica 1' })).status).toBe(200);
    expect((await call(0, 'GET', '/agents/shared')).body.description).toBe('from replica 1');
    expect((await call(0, 'PATCH', '/agents/shared/status', { status: 'inactive' })).status).toBe(200);
    expect((await call(1, 'GET', '/agents?tags=x')).body.agents).toEqual([expect.objectContaining({ name: 'shared', status: 'inactive' })]);
    expect((await call(1, 'DELETE', '/agents/shared')).status).toBe(204);
    expect((await call(0, 'GET', '/agents/shared')).status).toBe(404);
  });

  it('creates a name once when both replicas race for it', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, index) => call(index % 2, 'POST', '/agents', { name: 'raced', description: `attempt ${index}` }).then((answer) => answer.status)),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(7);
  });

  it('sees an edit made on disk from both replicas', async () => {
    mkdirSync(join(agentsDir, zoneId, 'on-disk'), { recursive: true });
    writeFileSync(join(agentsDir, zoneId, 'on-disk', 'agent.json'), JSON.stringify({ name: 'on-disk', description: 'hand-made' }));
    for (const replica of [0, 1]) expect((await call(replica, 'GET', '/agents/on-disk')).body.description).toBe('hand-made');
  });
});
