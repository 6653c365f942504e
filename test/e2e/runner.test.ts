import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Caracal } from '@caracal/sdk';
import { createVerifier, type VerifiedMandate, type Verifier } from '@caracal/sdk/verify';
import { startServer, type RunningServer } from '@caracal/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, serverOptionsOn, testBackends } from '../../packages/server/test/helpers/backends.ts';
import { startMcpV1Server, type McpTestServer } from '../transport/helpers/mcp-v1-server.ts';
import { startRunnerChild, type RunnerChild } from './runner-support/runner-child.ts';

const ZONE = 'zone_runner';
const APP = 'app_runner';
const TOOLS = 'mcp://tools.runner';
const FILES = 'https://files.runner';

interface WireRun {
  run_id: string;
  session_id: string;
  status: string;
  result: unknown;
  error: string | null;
  runner_id: string | null;
}

interface WireEvent {
  event_type: string;
  source: string;
  run_id: string | null;
  tool_name: string | null;
  details: Record<string, unknown> | null;
}

/**
 * The SDK runner (`createRunner`) as a real process against the real server, on both backends: a
 * run for a blueprint is claimed and executed in its session, its agent's MCP calls carry mandates
 * narrowed to the blueprint, stops and revocations reach the agent's signal, and a runner killed
 * with SIGKILL loses its runs once its heartbeat lapses (docs/runs.md).
 */
describe.each(testBackends())('the SDK runner as a process ($name)', (backend) => {
  const schema = backend.schema();
  const agentsDir = mkdtempSync(join(tmpdir(), 'caracal-runner-agents-'));
  const adminToken = randomBytes(18).toString('base64url');
  const secret = randomBytes(18).toString('base64url');
  let server: RunningServer;
  let caracal: Caracal;
  let verifier: Verifier;
  let tools: McpTestServer;
  let runner: RunnerChild;
  /** Serves slow-agent; killed with SIGKILL while its run is running. */
  let slow: RunnerChild;
  /** Claims claim-agent runs and never starts them; killed with SIGKILL holding a claim. */
  let claimer: RunnerChild;
  /** Serves frozen-agent; frozen with SIGSTOP until its heartbeat lapses, then thawed. */
  let frozen: RunnerChild;
  /** Serves capped-agent, one run at a time. */
  let capped: RunnerChild;
  let operator: string;
  const verified: VerifiedMandate[] = [];
  const children: RunnerChild[] = [];

  const runnerEnv = (extra: Record<string, string>): Record<string, string> => ({
    CARACAL_COORDINATOR_URL: server.url,
    CARACAL_ZONE_ID: ZONE,
    CARACAL_CLIENT_ID: APP,
    CARACAL_CLIENT_SECRET: secret,
    MCP_URL: tools.url,
    TOOLS_RESOURCE: TOOLS,
    ...extra,
  });

  async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token ?? (await caracal.sessionMandate())}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  }

  async function createRun(agentName: string, parameters: Record<string, unknown>): Promise<{ run_id: string; session_id: string }> {
    const created = await call('POST', '/runs', { type: 'start_session', agent_name: agentName, parameters: { prompt: 'do the task', ...parameters } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { run_id: string; session_id: string };
  }

  const readRun = async (runId: string): Promise<WireRun> => (await call('GET', `/runs/${runId}`)).body.run as WireRun;

  /** Polls the run (bounded) until it is in `status`. */
  async function runReaches(runId: string, status: string, timeoutMs = 30_000): Promise<WireRun> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await readRun(runId);
      if (run.status === status) return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} is ${run.status}, not ${status}, after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function timelineOf(sessionId: string): Promise<WireEvent[]> {
    const events: WireEvent[] = [];
    let cursor: string | null = null;
    do {
      const page = await call('GET', `/sessions/${sessionId}/events?limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(page.status).toBe(200);
      events.push(...(page.body.events as WireEvent[]));
      cursor = (page.body.next_cursor as string | null | undefined) ?? null;
    } while (cursor !== null);
    return events;
  }

  async function blueprint(name: string, authority: unknown, active = true): Promise<void> {
    const created = await call('POST', '/agents', { name, description: `e2e ${name}`, ...(authority === undefined ? {} : { authority }) }, operator);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    if (!active) expect((await call('PATCH', `/agents/${name}/status`, { status: 'inactive' }, operator)).status).toBe(200);
  }

  beforeAll(async () => {
    server = await startServer({
      port: 0,
      logger: false,
      adminToken,
      agentsDir,
      ...serverOptionsOn(backend, schema, { keyPrefix: `runner_${randomBytes(4).toString('hex')}` }),
      // A short heartbeat timeout and a quick sweeper, so a killed runner is seen within seconds.
      runs: { heartbeatTimeoutSeconds: 2 },
      jobSettings: { runSweepIntervalMs: 250 },
      bootstrap: {
        zones: [{
          id: ZONE,
          applications: [{ id: APP, secret, scopes: ['tools:call', 'files:read'] }],
          resources: [{ id: TOOLS, scopes: ['tools:call'] }, { id: FILES, scopes: ['files:read'] }],
        }],
      },
    });
    const answer = await fetch(`${server.url}/admin/zones/${ZONE}/operator-token`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{}' });
    operator = ((await answer.json()) as { access_token: string }).access_token;
    caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: APP, clientSecret: secret });
    verifier = createVerifier({ issuer: server.url, zoneId: ZONE, audience: TOOLS });
    tools = await startMcpV1Server({
      resource: TOOLS,
      verify: async (token, _audience, acting) => {
        const mandate = await verifier.verify(token, { acting });
        // The tools/call requests: the ones that exercise authority.
        if (acting === true) verified.push(mandate);
        return mandate;
      },
    });
    // The blueprint grants its agents tools:call on the tools server, and nothing on the files.
    const toolsOnly = { resources: [{ resource_id: TOOLS, scopes: ['tools:call'] }] };
    await blueprint('tool-agent', toolsOnly);
    await blueprint('slow-agent', toolsOnly);
    await blueprint('claim-agent', toolsOnly);
    await blueprint('frozen-agent', toolsOnly);
    await blueprint('capped-agent', toolsOnly);
    await blueprint('disabled-agent', toolsOnly, false);
    // Started together: a process start is most of what these tests wait for.
    [runner, slow, claimer, frozen, capped] = await Promise.all([
      startRunnerChild(runnerEnv({ RUNNER_BLUEPRINTS: 'tool-agent', RUNNER_PROFILE: 'main' })),
      startRunnerChild(runnerEnv({ RUNNER_BLUEPRINTS: 'slow-agent', RUNNER_PROFILE: 'slow' })),
      startRunnerChild(runnerEnv({ RUNNER_MODE: 'claim-only', RUNNER_BLUEPRINTS: 'claim-agent' })),
      startRunnerChild(runnerEnv({ RUNNER_BLUEPRINTS: 'frozen-agent', RUNNER_PROFILE: 'frozen' })),
      startRunnerChild(runnerEnv({ RUNNER_BLUEPRINTS: 'capped-agent', RUNNER_PROFILE: 'capped', RUNNER_MAX_RUNS: '1' })),
    ]);
    children.push(runner, slow, claimer, frozen, capped);
  }, 120_000);

  afterAll(async () => {
    frozen?.child.kill('SIGCONT');
    for (const child of children) await child.kill('SIGKILL');
    await tools?.close();
    await verifier?.close();
    await caracal?.close();
    await server?.close();
    await dropSchema(schema);
    rmSync(agentsDir, { recursive: true, force: true });
  });

  it('executes a blueprint run in its session: MCP mandates narrowed to the blueprint, a completed run, the whole story on the timeline', async () => {
    const { run_id: runId, session_id: sessionId } = await createRun('tool-agent', { tool_calls: 2, outside_resource: FILES });
    const run = await runReaches(runId, 'completed');
    expect(runner.facts.filter((fact) => fact.event === 'execute' && fact.run_id === runId)).toEqual([expect.objectContaining({ session_id: sessionId })]);
    // The agent's exchange for a resource outside the blueprint was refused.
    expect(run.result).toEqual({ prompt: 'do the task', texts: [expect.stringMatching(/^call \d+$/), expect.stringMatching(/^call \d+$/)], outside: 'TOKEN_EXCHANGE_FAILED' });

    const calls = verified.filter((mandate) => mandate.context.agentSessionId === sessionId);
    expect(calls).toHaveLength(2);
    for (const mandate of calls) {
      expect(mandate.claims.aud === TOOLS || (Array.isArray(mandate.claims.aud) && mandate.claims.aud.join() === TOOLS)).toBe(true);
      expect(String(mandate.claims.scope).split(' ')).toEqual(['tools:call']);
    }

    const events = await timelineOf(sessionId);
    // The run's story, in server order: the coordinator's run facts around the agent's events.
    const story = events
      .filter((event) => ['run_created', 'run_claimed', 'run_started', 'pre_tool', 'post_tool', 'result', 'run_completed', 'session_terminated'].includes(event.event_type))
      .map((event) => `${event.event_type}${event.tool_name === null ? '' : `:${event.tool_name}`}`);
    expect(story, JSON.stringify(events.map((event) => event.event_type))).toEqual([
      'run_created',
      'run_claimed',
      'run_started',
      'pre_tool:whoami',
      'post_tool:whoami',
      'pre_tool:whoami',
      'post_tool:whoami',
      'result',
      'run_completed',
      'session_terminated',
    ]);
    // A per-call mandate for each tool call, minted while the run was running.
    const index = (type: string): number => events.findIndex((event) => event.event_type === type);
    const mints = events.flatMap((event, at) => (event.event_type === 'mandate_minted' && event.details?.mandate_use === 'call' ? [at] : []));
    expect(mints.map((at) => events[at]!.details?.jti)).toEqual(calls.map((mandate) => mandate.claims.jti));
    expect(mints.every((at) => at > index('run_started') && at < index('run_completed'))).toBe(true);
    expect(events.filter((event) => event.event_type.startsWith('run_')).every((event) => event.run_id === runId)).toBe(true);
    const refused = events.filter((event) => event.event_type === 'mandate_refused');
    expect(refused.map((event) => event.details?.resource)).toEqual([FILES]);
  });

  it('a stop mid-run aborts the agent\'s signal before it completes, and the run ends stopped', async () => {
    const { run_id: runId } = await createRun('tool-agent', { hold: 'signal' });
    await runner.waitFor((fact) => fact.event === 'execute' && fact.run_id === runId, 'the run executing');
    await runReaches(runId, 'running');
    const sentAt = performance.timeOrigin + performance.now();
    const stop = await call('POST', `/runs/${runId}/stop`);
    expect(stop.status).toBe(200);
    const aborted = await runner.waitFor((fact) => fact.event === 'aborted' && fact.run_id === runId, 'the abort');
    console.log(`stop → agent signal aborted in ${(aborted.at - sentAt).toFixed(1)} ms (${backend.name})`);
    expect(aborted.reason).toBe('RUN_STOPPED');
    expect(await runner.waitFor((fact) => fact.event === 'done' && fact.run_id === runId, 'the agent ending')).toMatchObject({ aborted: true });
    const run = await runReaches(runId, 'stopped');
    expect(run.result).toBeNull();
  });

  it('terminating the run\'s session aborts the agent, and the run ends stopped', async () => {
    const { run_id: runId, session_id: sessionId } = await createRun('tool-agent', { hold: 'signal' });
    await runner.waitFor((fact) => fact.event === 'execute' && fact.run_id === runId, 'the run executing');
    await runReaches(runId, 'running');
    const terminated = await call('DELETE', `/zones/${ZONE}/agents/${sessionId}`);
    expect(terminated.status, JSON.stringify(terminated.body)).toBeLessThan(300);
    const aborted = await runner.waitFor((fact) => fact.event === 'aborted' && fact.run_id === runId, 'the abort', 15_000);
    expect(aborted.reason).toBe('RUN_STOPPED');
    await runReaches(runId, 'stopped');
  });

  it('refuses a run for an inactive blueprint with 409 and creates nothing', async () => {
    const before = await call('GET', '/runs?agent_name=disabled-agent');
    const refused = await call('POST', '/runs', { type: 'start_session', agent_name: 'disabled-agent', parameters: { prompt: 'no' } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'blueprint_inactive', error_description: expect.any(String) });
    expect((await call('GET', '/runs?agent_name=disabled-agent')).body.runs).toEqual(before.body.runs);
  });

  it('a runner killed with SIGKILL lapses: its running run fails, its claimed run goes back to pending', async () => {
    const running = await createRun('slow-agent', { hold: 'signal' });
    await slow.waitFor((fact) => fact.event === 'execute' && fact.run_id === running.run_id, 'the run executing');
    await runReaches(running.run_id, 'running');
    const claimed = await createRun('claim-agent', {});
    await claimer.waitFor((fact) => fact.event === 'claimed' && fact.run_id === claimed.run_id, 'the claim');
    expect((await readRun(claimed.run_id)).status).toBe('claimed');

    await Promise.all([slow.kill('SIGKILL'), claimer.kill('SIGKILL')]);
    const failed = await runReaches(running.run_id, 'failed');
    expect(failed.error).toEqual(expect.any(String));
    const pending = await runReaches(claimed.run_id, 'pending');
    expect(pending.runner_id).toBeNull();
    const runners = (await call('GET', '/runners')).body.runners as Array<{ runner_id: string; status: string }>;
    const lapsed = new Set(runners.filter((entry) => entry.status === 'lapsed').map((entry) => entry.runner_id));
    expect(lapsed.has(String(slow.facts[0]!.runner_id))).toBe(true);
    expect(lapsed.has(String(claimer.facts[0]!.runner_id))).toBe(true);
    // The live runner kept heartbeating and kept its standing.
    expect(runners.find((entry) => entry.runner_id === runner.facts[0]!.runner_id)?.status).toBe('online');
    expect((await call('POST', `/runs/${claimed.run_id}/stop`)).status).toBe(200);
  });

  it('a runner frozen until its heartbeat lapsed, then thawed, is told at its next heartbeat and aborts the run the server failed', async () => {
    const { run_id: runId } = await createRun('frozen-agent', { hold: 'signal' });
    await frozen.waitFor((fact) => fact.event === 'execute' && fact.run_id === runId, 'the run executing');
    await runReaches(runId, 'running');
    frozen.child.kill('SIGSTOP');
    try {
      expect((await runReaches(runId, 'failed')).error).toContain('runner was lost');
    } finally {
      frozen.child.kill('SIGCONT');
    }
    const aborted = await frozen.waitFor((fact) => fact.event === 'aborted' && fact.run_id === runId, 'the abort', 15_000);
    expect(aborted.reason).toBe('RUN_STOPPED');
    expect(await frozen.waitFor((fact) => fact.event === 'done' && fact.run_id === runId, 'the agent ending')).toMatchObject({ aborted: true });
    // Nothing was reported for it: the run stays as the server left it.
    expect(frozen.facts.filter((fact) => fact.event === 'runner_error' && fact.run_id === runId)).toEqual([]);
    expect(await readRun(runId)).toMatchObject({ status: 'failed', result: null });
  });

  it('a runner at maxConcurrentRuns leaves further runs pending, still gets its stop orders at once, then takes the next run', async () => {
    const first = await createRun('capped-agent', { hold: 'signal' });
    await capped.waitFor((fact) => fact.event === 'execute' && fact.run_id === first.run_id, 'the first run executing');
    await runReaches(first.run_id, 'running');
    const second = await createRun('capped-agent', { hold: 'signal' });
    expect((await readRun(second.run_id)).status).toBe('pending');
    // The runner's poll at the cap asks for stop orders only; the stop reaches it while it waits.
    const sentAt = performance.timeOrigin + performance.now();
    expect((await call('POST', `/runs/${first.run_id}/stop`)).status).toBe(200);
    const aborted = await capped.waitFor((fact) => fact.event === 'aborted' && fact.run_id === first.run_id, 'the abort');
    console.log(`stop at the cap → agent signal aborted in ${(aborted.at - sentAt).toFixed(1)} ms (${backend.name})`);
    expect(capped.facts.some((fact) => fact.event === 'execute' && fact.run_id === second.run_id && fact.at < aborted.at)).toBe(false);
    await capped.waitFor((fact) => fact.event === 'execute' && fact.run_id === second.run_id, 'the second run executing');
    expect((await call('POST', `/runs/${second.run_id}/stop`)).status).toBe(200);
    await runReaches(second.run_id, 'stopped');
  });
});
