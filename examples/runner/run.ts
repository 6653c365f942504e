/**
 * Runner: a Coordinator run executed by an SDK runner. An operator writes a blueprint whose agents
 * may call one MCP tool server; a run is created for it; `createRunner` claims the run and executes
 * its agent inside the run's Caracal session, so every MCP call carries a mandate minted for that
 * call, narrowed to the blueprint. The example then checks its own output: the run's result, what
 * the tool server saw, and the session's timeline.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Caracal } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { createRunner, type Run } from '@caracal/sdk/runner';
import { createVerifier } from '@caracal/sdk/verify';
import { startServer } from '@caracal/server';
import { startToolsServer } from '../demo/story/tools-server.ts';

const ZONE = 'zone_runner_example';
const APP = 'app_runner_example';
const TOOLS = 'mcp://tools.example';
const FILES = 'https://files.example';
const CALLS = 2;
const failures: string[] = [];
const check = (ok: boolean, what: string): void => void (ok || failures.push(what));
const secret = (): string => randomBytes(18).toString('base64url');

const agentsDir = mkdtempSync(join(tmpdir(), 'caracal-runner-example-'));
const adminToken = secret();
const appSecret = secret();
const server = await startServer({
  port: 0,
  logger: false,
  adminToken,
  agentsDir,
  bootstrap: {
    zones: [{
      id: ZONE,
      // The application may call tools and read files; its runs' agents get only what the blueprint names.
      applications: [{ id: APP, secret: appSecret, scopes: ['tools:call', 'files:read'] }],
      resources: [{ id: TOOLS, scopes: ['tools:call'] }, { id: FILES, scopes: ['files:read'] }],
    }],
  },
});
const caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: APP, clientSecret: appSecret });
const verifier = createVerifier({ issuer: server.url, zoneId: ZONE, audience: TOOLS });
const tools = await startToolsServer(verifier);

async function request(method: string, path: string, token: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The agent: asks the tool server CALLS times, then tries the files it was not granted. */
async function agent(run: Run, signal: AbortSignal): Promise<{ answers: string[]; files: string }> {
  const client = new Client({ name: 'runner-example-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(tools.url), {
    fetch: createMcpFetch({ caracal, resource: TOOLS, scopes: ['tools:call'], recordToolCalls: true, otherRequests: 'exchange' }),
  });
  await client.connect(transport);
  const answers: string[] = [];
  try {
    for (let index = 0; index < CALLS && !signal.aborted; index++) {
      const result = await client.callTool({ name: 'lookup_invoice', arguments: { prompt: String(run.parameters.prompt) } }, undefined, { signal });
      answers.push((result.content as Array<{ text?: string }>)[0]?.text ?? '');
    }
    await transport.terminateSession();
  } finally {
    await client.close();
  }
  const files = await caracal.exchange({ resource: FILES, scopes: ['files:read'] }).then(() => 'granted', (error: { code?: string }) => `refused (${error.code})`);
  return { answers, files };
}

const runner = await createRunner({ caracal, blueprints: ['invoice-agent'], execute: (run, { signal }) => agent(run, signal) });
try {
  const operator = (await request('POST', `/admin/zones/${ZONE}/operator-token`, adminToken, {})).access_token as string;
  await request('POST', '/agents', operator, {
    name: 'invoice-agent',
    description: 'looks invoices up',
    authority: { resources: [{ resource_id: TOOLS, scopes: ['tools:call'] }] },
  });
  console.log(`runner    ${runner.runnerId} serves invoice-agent`);
  const mandate = await caracal.sessionMandate();
  const created = await request('POST', '/runs', mandate, { type: 'start_session', agent_name: 'invoice-agent', parameters: { prompt: 'find invoice 42' } });
  const runId = created.run_id as string;
  const sessionId = created.session_id as string;
  console.log(`run       ${runId} in session ${sessionId}`);

  let run: Record<string, unknown> = {};
  for (let polls = 0; polls < 600 && !['completed', 'failed', 'stopped'].includes(String(run.status)); polls++) {
    run = (await request('GET', `/runs/${runId}`, mandate)).run as Record<string, unknown>;
    if (run.status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 50));
  }
  console.log(`status    ${String(run.status)} → ${JSON.stringify(run.result)}`);
  check(run.status === 'completed', `the run ended ${String(run.status)}: ${String(run.error)}`);
  const result = run.result as { answers?: string[]; files?: string } | null;
  check(result?.answers?.length === CALLS, 'the result carries every answer');
  check(result?.files === 'refused (TOKEN_EXCHANGE_FAILED)', 'the agent could reach a resource outside its blueprint');

  for (const call of tools.calls) {
    console.log(`tool      ${call.tool} saw session ${call.context?.agentSessionId}, scope "${call.claims.scope}", jti ${call.claims.jti}`);
    check(call.context?.agentSessionId === sessionId, 'a tool call came from another session');
    check(call.claims.scope === 'tools:call', 'a tool call mandate was not narrowed to the blueprint');
  }
  check(tools.calls.length === CALLS, `expected ${CALLS} tool calls, the server saw ${tools.calls.length}`);
  check(new Set(tools.calls.map((call) => call.claims.jti)).size === tools.calls.length, 'a mandate served two calls');

  const events = (await request('GET', `/sessions/${sessionId}/events?limit=500`, mandate)).events as Array<{ event_type: string }>;
  const story = events.map((event) => event.event_type).filter((type) => ['run_started', 'pre_tool', 'post_tool', 'result', 'run_completed'].includes(type));
  console.log(`timeline  ${story.join(' → ')}`);
  const expected = ['run_started', ...Array.from({ length: CALLS }, () => ['pre_tool', 'post_tool']).flat(), 'result', 'run_completed'];
  check(JSON.stringify(story) === JSON.stringify(expected), 'the timeline tells the run in order');
} finally {
  await runner.close();
  await tools.close();
  await verifier.close();
  await caracal.close();
  await server.close();
  rmSync(agentsDir, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`✗ runner failed: ${failures.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log('✓ runner ok');
}
