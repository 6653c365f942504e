import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bind, isCaracalError, type Caracal, type CaracalContext } from '../../src/index.ts';
import { createMcpFetch } from '../../src/transport/mcp/index.ts';
import { startFakeCaracalServer, type FakeCaracalServer } from '../support/fake-caracal-server.ts';
import { CLIENT, testClient, TOKEN, ZONE } from '../support/test-client.ts';
import { json, startRecordingServer, type RecordingServer } from '../transport/helpers/recording-server.ts';
import { eventsTo, SESSION } from './timeline-support.ts';

const RESOURCE = 'mcp://tools.local';
const context: CaracalContext = { subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, agentSessionId: SESSION, hop: 0 };

let caracalServer: FakeCaracalServer;
let mcpServer: RecordingServer;

/** An MCP server: `echo` answers as JSON, `stream` as SSE, `broken` with a JSON-RPC error, `fails` with an isError result. */
beforeAll(async () => {
  caracalServer = await startFakeCaracalServer();
  mcpServer = await startRecordingServer((request, response) => {
    const message = JSON.parse(request.body) as { id?: number; params?: { name?: string; arguments?: Record<string, unknown> } };
    const name = message.params?.name;
    const text = JSON.stringify(message.params?.arguments ?? {});
    if (name === 'stream') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } })}\n\n`);
      response.end(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'streamed' }] } })}\n\n`);
    } else if (name === 'broken') {
      json(response, 200, { jsonrpc: '2.0', id: message.id, error: { code: -32602, message: 'Unknown tool: broken' } });
    } else if (name === 'fails') {
      json(response, 200, { jsonrpc: '2.0', id: message.id, result: { isError: true, content: [{ type: 'text', text: 'disk full' }] } });
    } else if (name === 'huge') {
      json(response, 200, { jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'x'.repeat(200_000) }] } });
    } else {
      json(response, 200, { jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text }] } });
    }
  });
});

afterAll(async () => {
  await mcpServer.close();
  await caracalServer.close();
});

async function callTool(caracal: Caracal, id: number, name: string, args: Record<string, unknown>, options: { record?: boolean } = {}): Promise<unknown> {
  const mcpFetch = createMcpFetch({ caracal, resource: RESOURCE, recordToolCalls: options.record ?? true });
  return bind(context, async () => {
    const response = await mcpFetch(`${mcpServer.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer caller-set-must-not-be-recorded' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }),
    });
    return response.headers.get('content-type')?.includes('event-stream') ? response.text() : response.json();
  });
}

describe('createMcpFetch({ recordToolCalls: true })', () => {
  it('records pre_tool and post_tool with the arguments and the result, in order, on the current session', async () => {
    const { caracal } = testClient(caracalServer);
    const answer = await callTool(caracal, 1, 'echo', { q: 'caracal', page: 2 });
    expect(answer).toMatchObject({ id: 1, result: { content: [{ text: '{"q":"caracal","page":2}' }] } });
    await caracal.timeline.flush();
    expect(eventsTo(caracalServer, SESSION)).toEqual([
      expect.objectContaining({ event_type: 'pre_tool', tool_name: 'echo', tool_input: { q: 'caracal', page: 2 } }),
      expect.objectContaining({ event_type: 'post_tool', tool_name: 'echo', tool_input: { q: 'caracal', page: 2 }, tool_output: { content: [{ type: 'text', text: '{"q":"caracal","page":2}' }] } }),
    ]);
    expect(eventsTo(caracalServer, SESSION)[1]?.error).toBeUndefined();
    await caracal.close();
  });

  it('reads the outcome from an SSE response; the client still gets the whole stream', async () => {
    const { caracal } = testClient(caracalServer);
    const before = eventsTo(caracalServer).length;
    const body = (await callTool(caracal, 2, 'stream', {})) as string;
    expect(body).toContain('notifications/progress');
    expect(body).toContain('streamed');
    await caracal.timeline.flush();
    expect(eventsTo(caracalServer).slice(before)).toEqual([
      expect.objectContaining({ event_type: 'pre_tool', tool_name: 'stream' }),
      expect.objectContaining({ event_type: 'post_tool', tool_name: 'stream', tool_output: { content: [{ type: 'text', text: 'streamed' }] } }),
    ]);
    await caracal.close();
  });

  it('records JSON-RPC errors and tool errors as the post_tool error', async () => {
    const { caracal } = testClient(caracalServer);
    const before = eventsTo(caracalServer).length;
    await callTool(caracal, 3, 'broken', {});
    await callTool(caracal, 4, 'fails', {});
    await caracal.timeline.flush();
    const posts = eventsTo(caracalServer).slice(before).filter((event) => event.event_type === 'post_tool');
    expect(posts[0]).toMatchObject({ tool_name: 'broken', error: 'JSON-RPC error -32602: Unknown tool: broken' });
    expect(posts[1]).toMatchObject({ tool_name: 'fails', error: 'disk full', tool_output: { isError: true } });
    await caracal.close();
  });

  it('never records secrets: keys naming one are redacted, tokens in values too, headers never', async () => {
    const { caracal } = testClient(caracalServer);
    const before = eventsTo(caracalServer).length;
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJl';
    await callTool(caracal, 5, 'echo', { query: 'ok', api_key: 'k-123', nested: { password: 'hunter2', Authorization: 'Bearer xyz', note: `see ${jwt}` }, max_tokens: 5 });
    await caracal.timeline.flush();
    const recorded = eventsTo(caracalServer).slice(before);
    expect(recorded[0]?.tool_input).toEqual({ query: 'ok', api_key: '[redacted]', nested: { password: '[redacted]', Authorization: '[redacted]', note: 'see [redacted]' }, max_tokens: 5 });
    const wire = caracalServer.requestsTo('POST /sessions/*/events').map((request) => request.text).join('\n');
    for (const secret of ['k-123', 'hunter2', 'xyz', jwt, 'caller-set-must-not-be-recorded', 'per-call-']) expect(wire).not.toContain(secret);
    await caracal.close();
  });

  it('bounds a large outcome with a marker', async () => {
    const { caracal } = testClient(caracalServer);
    const before = eventsTo(caracalServer).length;
    await callTool(caracal, 6, 'huge', {});
    await caracal.timeline.flush();
    const post = eventsTo(caracalServer).slice(before).find((event) => event.event_type === 'post_tool');
    expect(post?.tool_output).toMatchObject({ _truncated: true, bytes: expect.any(Number) });
    expect(Buffer.byteLength(JSON.stringify(post))).toBeLessThan(24 * 1024);
    await caracal.close();
  });

  it('records nothing unless asked', async () => {
    const { caracal } = testClient(caracalServer);
    const before = eventsTo(caracalServer).length;
    await callTool(caracal, 7, 'echo', {}, { record: false });
    await caracal.timeline.flush();
    expect(eventsTo(caracalServer).length).toBe(before);
    await caracal.close();
  });

  it('a call that fails to send records post_tool with the reason and rejects as before', async () => {
    const { caracal } = testClient(caracalServer);
    const before = eventsTo(caracalServer).length;
    const mcpFetch = createMcpFetch({ caracal, resource: RESOURCE, recordToolCalls: true });
    const down = await startRecordingServer();
    await down.close();
    const failure = await bind(context, () =>
      mcpFetch(`${down.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'echo', arguments: {} } }) }).catch((error: unknown) => error),
    );
    expect(isCaracalError(failure) && failure.code).toBe('NETWORK_ERROR');
    await caracal.timeline.flush();
    expect(eventsTo(caracalServer).slice(before)).toEqual([
      expect.objectContaining({ event_type: 'pre_tool', tool_name: 'echo' }),
      expect.objectContaining({ event_type: 'post_tool', tool_name: 'echo', error: expect.stringMatching(/^outcome unknown: /) }),
    ]);
    await caracal.close();
  });

  it('refuses recordToolCalls with a client that has no timeline', () => {
    const exchanger = { exchange: async () => ({ accessToken: 't' }) };
    expect(() => createMcpFetch({ caracal: exchanger, resource: RESOURCE, recordToolCalls: true })).toThrow(/recordToolCalls needs a Caracal client/);
  });
});
