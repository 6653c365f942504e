/**
 * A runner as its own process, for the runner e2e tests: `node runner-process.ts` with the
 * settings in its environment. It prints one JSON line per fact the tests wait on (registered,
 * execute, aborted, done), with `at` in epoch milliseconds (sub-millisecond), so a test in
 * another process can measure how long a stop took to reach the agent.
 *
 * RUNNER_MODE=sdk (default): `createRunner` from the built SDK (RUNNER_MAX_RUNS: its
 * `maxConcurrentRuns`); each run's agent calls the MCP
 * tool `whoami` `parameters.tool_calls` times through `createMcpFetch`, tries an exchange for
 * `parameters.outside_resource` when given (refused when the run is narrowed), and with
 * `parameters.hold` waits for its signal (`"signal"`) or for the file `parameters.go_file`.
 * RUNNER_MODE=claim-only: registers and claims runs over plain HTTP, never reports: a runner that
 * dies between the claim and `started`.
 */
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Caracal, isCaracalError } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { createRunner, type Run } from '@caracal/sdk/runner';

const env = process.env;
const now = (): number => performance.timeOrigin + performance.now();
const say = (fact: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ ...fact, at: now() })}\n`);

const caracal = new Caracal({
  coordinatorUrl: env.CARACAL_COORDINATOR_URL!,
  zoneId: env.CARACAL_ZONE_ID!,
  clientId: env.CARACAL_CLIENT_ID!,
  clientSecret: env.CARACAL_CLIENT_SECRET!,
  // Quick to come back after a Coordinator restart.
  retry: { minDelayMs: 50, maxDelayMs: 250 },
});

async function callTools(run: Run, count: number): Promise<string[]> {
  if (count === 0) return [];
  const resource = env.TOOLS_RESOURCE!;
  const client = new Client({ name: 'runner-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(env.MCP_URL!), {
    fetch: createMcpFetch({ caracal, resource, scopes: ['tools:call'], recordToolCalls: true }),
  });
  await client.connect(transport);
  const texts: string[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const answer = await client.callTool({ name: 'whoami', arguments: { run: run.run_id } });
      texts.push((answer.content as Array<{ text: string }>)[0]!.text);
    }
    await transport.terminateSession();
  } finally {
    await client.close();
  }
  return texts;
}

async function hold(parameters: Record<string, unknown>, signal: AbortSignal): Promise<void> {
  if (parameters.hold === 'signal') {
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  } else if (parameters.hold === 'file') {
    while (!existsSync(String(parameters.go_file)) && !signal.aborted) await delay(20);
  }
}

async function runSdk(): Promise<void> {
  const runner = await createRunner({
    caracal,
    hostname: env.RUNNER_HOSTNAME ?? 'e2e-runner',
    projectDir: '/e2e',
    executorProfile: env.RUNNER_PROFILE ?? 'default',
    ...(env.RUNNER_BLUEPRINTS === undefined ? {} : { blueprints: env.RUNNER_BLUEPRINTS.split(',') }),
    ...(env.RUNNER_TAGS === undefined ? {} : { tags: env.RUNNER_TAGS.split(',') }),
    ...(env.RUNNER_MAX_RUNS === undefined ? {} : { maxConcurrentRuns: Number(env.RUNNER_MAX_RUNS) }),
    onError: (event) => say({ event: 'runner_error', step: event.step, error: String(event.error), run_id: event.runId }),
    execute: async (run, { signal, context }) => {
      signal.addEventListener('abort', () => say({ event: 'aborted', run_id: run.run_id, reason: isCaracalError(signal.reason) ? signal.reason.code : String(signal.reason) }), { once: true });
      say({ event: 'execute', run_id: run.run_id, session_id: context.agentSessionId });
      const parameters = run.parameters;
      const texts = await callTools(run, Number(parameters.tool_calls ?? 0));
      let refused: string | undefined;
      if (typeof parameters.outside_resource === 'string') {
        refused = await caracal.exchange({ resource: parameters.outside_resource, scopes: ['files:read'] }).then(
          () => 'granted',
          (error: unknown) => (isCaracalError(error) ? error.code : String(error)),
        );
      }
      await hold(parameters, signal);
      say({ event: 'done', run_id: run.run_id, aborted: signal.aborted });
      return { prompt: parameters.prompt, texts, outside: refused ?? null };
    },
  });
  say({ event: 'registered', runner_id: runner.runnerId });
  process.once('SIGTERM', () => void runner.close().then(() => caracal.close()).then(() => process.exit(0)));
}

async function runClaimOnly(): Promise<void> {
  const base = env.CARACAL_COORDINATOR_URL!;
  const token = await caracal.sessionMandate();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = { hostname: env.RUNNER_HOSTNAME ?? 'claim-only', project_dir: '/e2e', executor_profile: 'claim-only', executor: { type: 'test' }, blueprints: (env.RUNNER_BLUEPRINTS ?? 'claim-agent').split(',') };
  const registered = (await (await fetch(`${base}/runner/register`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { runner_id: string };
  say({ event: 'registered', runner_id: registered.runner_id });
  for (;;) {
    const response = await fetch(`${base}/runner/runs?runner_id=${registered.runner_id}&wait_seconds=5`, { headers });
    if (response.status === 200) {
      const answer = (await response.json()) as { run?: Run };
      if (answer.run !== undefined) say({ event: 'claimed', run_id: answer.run.run_id });
    } else {
      await response.body?.cancel();
    }
  }
}

await (env.RUNNER_MODE === 'claim-only' ? runClaimOnly() : runSdk());
