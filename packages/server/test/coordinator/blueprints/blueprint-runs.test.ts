import { describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { injectExchange } from '../../helpers/sts-fixtures.ts';
import { FILES_RESOURCE, TOOLS_RESOURCE, useBlueprintSuite } from './blueprint-fixture.ts';

/** A run is resolved from the blueprint registry: its session is spawned from the blueprint. */
describe.each(testBackends())('runs of a blueprint on $name', (backend) => {
  const suite = useBlueprintSuite(backend);
  const operator = (method: string, url: string, body?: unknown) => suite.call({ method, url, token: suite.tokens.operator, body });
  const run = (body: Record<string, unknown>, token = suite.tokens.reader) =>
    suite.call({ method: 'POST', url: '/runs', token, body: { type: 'start_session', parameters: { prompt: 'go' }, ...body } });
  const session = async (id: string) =>
    (
      await suite.sts.context.database.query<{ agent_name: string | null; scopes: string[] | null; resource_id: string | null; run_status: string }>(
        'SELECT agent_name, scopes, resource_id, run_status FROM agent_sessions WHERE id = $1',
        [id],
      )
    ).rows[0]!;
  const counts = async () =>
    (await suite.sts.context.database.query<{ runs: number; sessions: number }>('SELECT (SELECT count(*)::int FROM runs) AS runs, (SELECT count(*)::int FROM agent_sessions) AS sessions')).rows[0]!;

  it('narrows the run\'s session to the blueprint\'s authority and records its name', async () => {
    await operator('POST', '/agents', { name: 'run-caller', authority: { resources: [{ resource_id: TOOLS_RESOURCE, scopes: ['tools:call'] }] } });
    const created = await run({ agent_name: 'run-caller' });
    expect(created.statusCode, created.body).toBe(201);
    const sessionId = created.json().session_id as string;
    expect(await session(sessionId)).toMatchObject({ agent_name: 'run-caller', scopes: ['tools:call'], resource_id: TOOLS_RESOURCE, run_status: 'pending' });
    const exchange = (resource: string, scope: string) => injectExchange(suite.sts.app, suite.tokens.reader, { resource, scope, agent_session_id: sessionId });
    expect((await exchange(TOOLS_RESOURCE, 'tools:call')).status).toBe(200);
    expect((await exchange(TOOLS_RESOURCE, 'tools:read')).status).toBe(400);
    expect((await exchange(FILES_RESOURCE, 'files:read')).status).toBe(400);
  });

  it('refuses an unknown blueprint (404) and an inactive one (409 blueprint_inactive), writing nothing', async () => {
    await operator('POST', '/agents', { name: 'run-off' });
    expect((await operator('PATCH', '/agents/run-off/status', { status: 'inactive' })).statusCode).toBe(200);
    const before = await counts();
    const unknown = await run({ agent_name: 'run-nobody' });
    expect(unknown.statusCode).toBe(404);
    const inactive = await run({ agent_name: 'run-off' });
    expect(inactive.statusCode).toBe(409);
    expect(inactive.json().error).toBe('blueprint_inactive');
    expect(await counts()).toEqual(before);
    expect((await operator('PATCH', '/agents/run-off/status', { status: 'active' })).statusCode).toBe(200);
    expect((await run({ agent_name: 'run-off' })).statusCode).toBe(201);
  });

  it('holds the parameters to the blueprint\'s parameters_schema when it has one, else to a prompt', async () => {
    const schema = { type: 'object', required: ['ticket'], properties: { ticket: { type: 'string', pattern: '^T-[0-9]+$' } }, additionalProperties: false };
    const created = await operator('POST', '/agents', { name: 'run-typed', parameters_schema: schema });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().parameters_schema).toEqual(schema);
    const before = await counts();
    for (const parameters of [{ prompt: 'go' }, { ticket: 'nope' }, { ticket: 'T-1', extra: 1 }, {}]) {
      const refused = await run({ agent_name: 'run-typed', parameters });
      expect(refused.statusCode, JSON.stringify(parameters)).toBe(400);
      expect(refused.json().error_description).toMatch(/parameters/);
    }
    expect(await counts()).toEqual(before);
    expect((await run({ agent_name: 'run-typed', parameters: { ticket: 'T-42' } })).statusCode).toBe(201);
    // A schema that is not an object schema is refused when written; clearing it brings the prompt back.
    expect((await operator('PATCH', '/agents/run-typed', { parameters_schema: { type: 'string' } })).statusCode).toBe(400);
    expect((await operator('PATCH', '/agents/run-typed', { parameters_schema: {} })).json().parameters_schema).toBeNull();
    expect((await run({ agent_name: 'run-typed', parameters: { ticket: 'T-42' } })).statusCode).toBe(400);
    expect((await run({ agent_name: 'run-typed' })).statusCode).toBe(201);
  });

  it('resumes a session with its own blueprint, never another', async () => {
    await operator('POST', '/agents', { name: 'run-first' });
    await operator('POST', '/agents', { name: 'run-second' });
    const created = await run({ agent_name: 'run-first' });
    const { run_id: runId, session_id: sessionId } = created.json();
    // A runner takes the run to completion, leaving the session idle (resumable).
    const reader = (method: string, url: string, body?: unknown) => suite.call({ method, url, token: suite.tokens.reader, body });
    const runnerId = (
      await reader('POST', '/runner/register', { hostname: 'bp-host', project_dir: '/p', executor_profile: 'default', executor: { type: 'test' }, blueprints: ['run-first'] })
    ).json().runner_id as string;
    expect((await reader('GET', `/runner/runs?runner_id=${runnerId}&wait_seconds=0`)).json().run.run_id).toBe(runId);
    await reader('POST', `/runner/runs/${runId}/started`, { runner_id: runnerId });
    expect((await reader('POST', `/runner/runs/${runId}/completed`, { runner_id: runnerId, session_status: 'idle' })).statusCode).toBe(200);
    const other = await run({ type: 'resume_session', session_id: sessionId, agent_name: 'run-second' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error_description).toMatch(/run-first/);
    // Naming the same blueprint, or none, resumes it.
    expect((await run({ type: 'resume_session', session_id: sessionId })).statusCode).toBe(201);
  });
});
