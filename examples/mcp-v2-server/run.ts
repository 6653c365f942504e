/**
 * MCP v2 behind the verifier: one real MCP v2 server (@modelcontextprotocol/server, web-standard
 * transport) hosted twice, on node:http (verifyFetch) and on Fastify (verifyFastify). A real MCP v2
 * client, whose fetch is createMcpFetch, calls a tool on each from a worker that holds a narrowed
 * grant; the example checks the mandate each tool handler saw. The hosting code is the
 * `node-http` and `fastify` regions that docs/transports.md shows line for line.
 */
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CaracalContext } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { ORCHESTRATOR_APP, startStack, TOOLS_RESOURCE, ZONE } from '../demo/story/stack.ts';
import { mcpTools, type ToolCall } from './mcp-tools.ts';
import { serveMcpOnFastify } from './serve-fastify.ts';
import { serveMcpOnNodeHttp } from './serve-node.ts';

const stack = await startStack();
const { orchestrator: caracal } = stack;
const failures: string[] = [];
const check = (ok: boolean, what: string): void => void (ok || failures.push(what));
const calls: ToolCall[] = [];

// One verifier for the resource (JWKS and revocation feed), shared by both hosts.
const verifier = await stack.verifier(TOOLS_RESOURCE);
const nodeServer = serveMcpOnNodeHttp(mcpTools('node:http', calls), verifier);
await new Promise<void>((resolve) => nodeServer.listen(0, '127.0.0.1', resolve));
const fastify = await serveMcpOnFastify(mcpTools('fastify', calls), verifier);
await fastify.listen({ port: 0, host: '127.0.0.1' });
const hosts = {
  'node:http': `http://127.0.0.1:${(nodeServer.address() as AddressInfo).port}/mcp`,
  fastify: `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}/mcp`,
};

/** Connects an MCP v2 client through createMcpFetch, calls the tool once, and checks what the tool saw. */
async function callTool(host: keyof typeof hosts, worker: CaracalContext): Promise<void> {
  const client = new Client({ name: 'mcp-v2-example', version: '1.0.0' });
  const fetch = createMcpFetch({ caracal, resource: TOOLS_RESOURCE, scopes: ['tools:call'] });
  await client.connect(new StreamableHTTPClientTransport(new URL(hosts[host]), { fetch }));
  try {
    const before = calls.length;
    const result = await client.callTool({ name: 'lookup_invoice', arguments: {} });
    const text = (result.content as Array<{ text?: string }>)[0]?.text ?? '';
    const call = calls[before];
    console.log(`${host.padEnd(9)} → ${text}`);
    if (call === undefined) throw new Error(`the ${host} tool recorded no call`);
    const { claims, context } = call;
    console.log(`  verified mandate: client ${claims.client_id} session ${claims.agent_session_id} edge ${claims.delegation_edge_id} aud ${JSON.stringify(claims.aud)} scope ${claims.scope}`);
    check(calls.length === before + 1 && call.host === host, `${host}: exactly one tool call`);
    check(claims.aud === TOOLS_RESOURCE || (Array.isArray(claims.aud) && claims.aud.length === 1 && claims.aud[0] === TOOLS_RESOURCE), `${host}: audience`);
    check(claims.client_id === ORCHESTRATOR_APP && call.clientId === ORCHESTRATOR_APP, `${host}: client id (claims and AuthInfo)`);
    check(claims.zone_id === ZONE, `${host}: zone`);
    check(claims.scope.split(' ').includes('tools:call'), `${host}: scope`);
    check(claims.agent_session_id === worker.agentSessionId, `${host}: the mandate names the worker's session`);
    check(claims.delegation_edge_id === worker.delegationEdgeId, `${host}: the mandate names the worker's edge`);
    check(context !== undefined && context.agentSessionId === worker.agentSessionId && context.delegationEdgeId === worker.delegationEdgeId, `${host}: current() in the tool is the verified caller`);
  } finally {
    await client.close();
  }
}

/** A request without a mandate never reaches the MCP server. */
async function checkRefusal(host: keyof typeof hosts): Promise<void> {
  const response = await fetch(hosts[host], {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'lookup_invoice', arguments: {} } }),
  });
  console.log(`${host.padEnd(9)} without a mandate → ${response.status} ${response.headers.get('www-authenticate') ?? ''}`);
  check(response.status === 401, `${host}: a request without a mandate answered ${response.status}`);
}

try {
  const before = calls.length;
  await checkRefusal('node:http');
  await checkRefusal('fastify');
  check(calls.length === before, 'a refused request reached a tool');
  await caracal.spawn({ kind: 'instance' }, async () => {
    await caracal.spawn({ kind: 'ephemeral', grant: { mode: 'narrow', scopes: ['tools:call'], resource: TOOLS_RESOURCE } }, async (worker) => {
      await callTool('node:http', worker);
      await callTool('fastify', worker);
    });
  });
} finally {
  await fastify.close();
  nodeServer.closeAllConnections();
  await new Promise<void>((resolve) => nodeServer.close(() => resolve()));
  await stack.close();
}

if (failures.length > 0) {
  console.error(`✗ mcp-v2-server failed: ${failures.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log('✓ mcp-v2-server ok');
}
