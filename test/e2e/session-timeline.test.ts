import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ClientV2, StreamableHTTPClientTransport as StreamableHTTPClientTransportV2 } from '@modelcontextprotocol/client';
import { Caracal, type CleanupErrorEvent } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { createVerifier, type Verifier } from '@caracal/sdk/verify';
import { startServer, type RunningServer } from '@caracal/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, serverOptionsOn, testBackends } from '../../packages/server/test/helpers/backends.ts';
import { startMcpV1Server, type McpTestServer } from '../transport/helpers/mcp-v1-server.ts';

const ZONE = 'zone_timeline';
const APP = 'app_timeline';
const TOOLS = 'mcp://tools.timeline';

interface WireEvent {
  id: number;
  session_id: string;
  event_type: string;
  source: string;
  tool_name: string | null;
  tool_input: Record<string, unknown> | null;
  tool_output: unknown;
  error: string | null;
  result_text: string | null;
  result_data: unknown;
  details: Record<string, unknown> | null;
}

/** The `jti` of a JWT, read without verifying (the MCP server verified it). */
function jtiOf(authorization: string | undefined): unknown {
  const payload = String(authorization).replace(/^Bearer /, '').split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { jti?: unknown }).jti;
}

/**
 * The SDK's side of the session timeline against the real server: a spawned agent's run, its MCP
 * tool calls and its result land on its session's timeline, in server order, and the spawn's own
 * termination after the run's terminal event is harmless.
 */
describe.each(testBackends())('an agent\'s timeline, recorded by the SDK ($name)', (backend) => {
  const schema = backend.schema();
  let server: RunningServer;
  let caracal: Caracal;
  let verifier: Verifier;
  let tools: McpTestServer;
  const cleanupErrors: CleanupErrorEvent[] = [];

  beforeAll(async () => {
    const secret = randomBytes(18).toString('base64url');
    server = await startServer({
      port: 0,
      logger: false,
      adminToken: randomBytes(18).toString('base64url'),
      ...serverOptionsOn(backend, schema, { keyPrefix: `timeline_${randomBytes(4).toString('hex')}` }),
      bootstrap: { zones: [{ id: ZONE, applications: [{ id: APP, secret, scopes: ['tools:call'] }], resources: [{ id: TOOLS, scopes: ['tools:call'] }] }] },
    });
    caracal = new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId: APP, clientSecret: secret, onCleanupError: (event) => void cleanupErrors.push(event) });
    verifier = createVerifier({ issuer: server.url, zoneId: ZONE, audience: TOOLS });
    tools = await startMcpV1Server({ verify: (token, _audience, acting) => verifier.verify(token, { acting }), resource: TOOLS });
  }, 120_000);

  afterAll(async () => {
    await tools?.close();
    await verifier?.close();
    await caracal?.close();
    await server?.close();
    await dropSchema(schema);
  });

  async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${await caracal.sessionMandate()}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function timelineOf(sessionId: string): Promise<WireEvent[]> {
    const events: WireEvent[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/sessions/${sessionId}/events?limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(page.status).toBe(200);
      events.push(...(page.body.events as WireEvent[]));
      cursor = (page.body.next_cursor as string | null | undefined) ?? null;
    } while (cursor !== null);
    return events;
  }

  it('shows run_start, pre_tool/post_tool per MCP call with its outcome, the result and run_completed, in server order', { timeout: 60_000 }, async () => {
    const { sessionId, texts } = await caracal.spawn({ kind: 'ephemeral', recordResult: true }, async (context) => {
      const client = new Client({ name: 'timeline-agent', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(tools.url), {
        fetch: createMcpFetch({ caracal, resource: TOOLS, scopes: ['tools:call'], recordToolCalls: true }),
      });
      await client.connect(transport);
      const results = [];
      for (let index = 0; index < 3; index++) results.push(await client.callTool({ name: 'whoami', arguments: {} }));
      const missing = await client.callTool({ name: 'no_such_tool', arguments: {} }).catch((error: unknown) => error);
      await transport.terminateSession();
      await client.close();
      return { sessionId: context.agentSessionId as string, texts: results.map((result) => (result.content as Array<{ text: string }>)[0]?.text), missing: String(missing) };
    });
    expect(texts).toEqual(['call 1', 'call 2', 'call 3']);

    const events = await timelineOf(sessionId);
    const ids = events.map((event) => event.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(events.every((event) => event.session_id === sessionId)).toBe(true);
    const recorded = events.filter((event) => event.source === 'agent');
    expect(recorded.map((event) => `${event.event_type}${event.tool_name === null ? '' : `:${event.tool_name}`}`)).toEqual([
      'run_start',
      'pre_tool:whoami',
      'post_tool:whoami',
      'pre_tool:whoami',
      'post_tool:whoami',
      'pre_tool:whoami',
      'post_tool:whoami',
      'pre_tool:no_such_tool',
      'post_tool:no_such_tool',
      'result',
      'run_completed',
    ]);
    const posts = recorded.filter((event) => event.event_type === 'post_tool');
    expect(posts.slice(0, 3).map((event) => event.tool_output)).toEqual([1, 2, 3].map((call) => ({ content: [{ type: 'text', text: `call ${call}` }] })));
    expect(posts.slice(0, 3).every((event) => event.error === null)).toBe(true);
    expect(posts[3]?.error).toEqual(expect.stringContaining('no_such_tool'));
    expect(recorded.at(-2)?.result_data).toMatchObject({ sessionId, texts });
    // No mandate reached the timeline.
    expect(JSON.stringify(recorded)).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);

    // Beside the agent's events, the server's own: the spawn first, the termination (by the run's
    // end, not by the spawn's DELETE after it) last, and the per-call mandate of every tool call the
    // MCP server verified, minted before that call's post_tool.
    expect(events[0]).toMatchObject({ source: 'coordinator', event_type: 'session_spawned' });
    expect(events.filter((event) => event.event_type === 'session_terminated')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ source: 'coordinator', event_type: 'session_terminated', details: expect.objectContaining({ reason: 'run_finished' }) });
    const callMints = events.filter((event) => event.event_type === 'mandate_minted' && event.details?.mandate_use === 'call');
    expect(callMints).toHaveLength(4);
    expect(callMints.slice(0, 3).map((event) => event.details?.jti)).toEqual(tools.toolCalls.map((call) => jtiOf(call.authorization)));
    const postIndexes = events.flatMap((event, index) => (event.event_type === 'post_tool' ? [index] : []));
    callMints.forEach((mint, call) => expect(events.indexOf(mint)).toBeLessThan(postIndexes[call] as number));

    expect(await get(`/sessions/${sessionId}/status`)).toMatchObject({ status: 200, body: { status: 'finished' } });
    expect(await get(`/sessions/${sessionId}/result`)).toMatchObject({ status: 200, body: { result_data: { sessionId, texts } } });
    // The spawn's own termination after run_completed changed nothing and reported nothing.
    expect(cleanupErrors).toEqual([]);
    expect(caracal.timeline.stats()).toMatchObject({ dropped: 0, failed: 0, queued: 0 });
  });

  it('a failing agent\'s run ends in run_failed with the message; a string result is result_text', { timeout: 60_000 }, async () => {
    let failedSession = '';
    await expect(
      caracal.spawn({}, (context) => {
        failedSession = context.agentSessionId as string;
        throw new Error('the model gave up');
      }),
    ).rejects.toThrow('the model gave up');
    const failed = (await timelineOf(failedSession)).filter((event) => event.source === 'agent');
    expect(failed.map((event) => event.event_type)).toEqual(['run_start', 'run_failed']);
    expect(failed[1]?.error).toBe('Error: the model gave up');
    expect(await get(`/sessions/${failedSession}/status`)).toMatchObject({ body: { status: 'failed' } });

    const textSession = await caracal.spawn({ recordResult: true }, (context) => {
      caracal.timeline.record({ event_type: 'message', role: 'assistant', content: [{ type: 'text', text: 'thinking' }] });
      return context.agentSessionId as string;
    });
    const text = (await timelineOf(textSession)).filter((event) => event.source === 'agent');
    expect(text.map((event) => event.event_type)).toEqual(['run_start', 'message', 'result', 'run_completed']);
    expect(await get(`/sessions/${textSession}/result`)).toMatchObject({ status: 200, body: { result_text: textSession } });
    expect(cleanupErrors).toEqual([]);
  });
  it('records the tool calls of an MCP v2 client (@modelcontextprotocol/client) the same way', { timeout: 60_000 }, async () => {
    const sessionId = await caracal.spawn({}, async (context) => {
      const client = new ClientV2({ name: 'timeline-agent-v2', version: '2.0.0' });
      const transport = new StreamableHTTPClientTransportV2(new URL(tools.url), {
        fetch: createMcpFetch({ caracal, resource: TOOLS, scopes: ['tools:call'], recordToolCalls: true }),
      });
      await client.connect(transport);
      await client.callTool({ name: 'whoami', arguments: {} });
      await client.close();
      return context.agentSessionId as string;
    });
    const recorded = (await timelineOf(sessionId)).filter((event) => event.source === 'agent');
    expect(recorded.map((event) => event.event_type)).toEqual(['run_start', 'pre_tool', 'post_tool', 'run_completed']);
    expect(recorded[2]).toMatchObject({ tool_name: 'whoami', tool_output: { content: [{ type: 'text', text: expect.stringMatching(/^call \d+$/) }] }, error: null });
  });
});
