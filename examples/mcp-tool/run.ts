/**
 * MCP tool: a real MCP client (StreamableHTTPClientTransport) calls a real MCP server behind the
 * Caracal verify middleware. createMcpFetch exchanges a fresh mandate for the server's resource
 * before every request (per-call for tools/call, protocol for the rest, which spends no budget);
 * the tool handler sees the caller's verified context.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bind, type CaracalContext } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { startStack, TOOLS_RESOURCE } from '../demo/story/stack.ts';
import { startToolsServer, type ToolCall } from '../demo/story/tools-server.ts';

const CALLS = 3;
const stack = await startStack();
const tools = await startToolsServer(await stack.verifier(TOOLS_RESOURCE));
const { orchestrator: caracal } = stack;
const failures: string[] = [];
const check = (ok: boolean, what: string): void => void (ok || failures.push(what));

function describeCall(call: ToolCall): string {
  const { claims, context } = call;
  return [
    `tool ${call.tool} saw: session ${context?.agentSessionId} edge ${context?.delegationEdgeId} hop ${context?.hop}`,
    `           path ${JSON.stringify(claims.delegation_path)} aud ${JSON.stringify(claims.aud)} jti ${claims.jti}`,
  ].join('\n');
}

/** Connects an MCP client whose every request carries a mandate minted for it alone, calls the tool CALLS times. */
async function callTools(delegated: CaracalContext): Promise<void> {
  const client = new Client({ name: 'mcp-tool-example', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(tools.url), {
    // The verifier refuses a one-shot mandate presented twice: initialize, notifications and the
    // session DELETE get fresh protocol mandates (no budget spent), each tools/call a per-call one.
    fetch: createMcpFetch({ caracal, resource: TOOLS_RESOURCE, scopes: ['tools:call'] }),
  });
  await client.connect(transport);
  try {
    for (let index = 0; index < CALLS; index++) {
      const result = await client.callTool({ name: 'lookup_invoice', arguments: {} });
      const call = tools.calls.at(-1);
      console.log(`call ${index + 1}     → ${(result.content as Array<{ text?: string }>)[0]?.text ?? ''}`);
      if (call === undefined) throw new Error('the tool handler recorded no call');
      console.log(`  ${describeCall(call)}`);
      check(call.context?.agentSessionId === delegated.agentSessionId, `call ${index + 1}: session`);
      check(call.context?.delegationEdgeId === delegated.delegationEdgeId, `call ${index + 1}: edge`);
      check(call.claims.delegation_path.includes(delegated.delegationEdgeId ?? ''), `call ${index + 1}: delegation path`);
    }
    await transport.terminateSession();
  } finally {
    await client.close();
  }
}

try {
  await caracal.spawn({ kind: 'instance', labels: { role: 'planner' } }, async (planner) => {
    console.log(`spawned   ${planner.agentSessionId} (planner)`);
    await caracal.spawn({ kind: 'ephemeral', grant: 'none', labels: { role: 'tool-user' } }, async (helper) => {
      // The edge goes from the planner's session to the helper's: delegate in the planner's context.
      await bind(planner, () =>
        // budget: CALLS means CALLS tool calls: initialize, notifications and the DELETE spend none.
        caracal.delegate({ to: helper.agentSessionId!, scopes: ['tools:call'], ttlSeconds: 300, constraints: { budget: CALLS } }, async (delegated) => {
          console.log(`delegated ${delegated.delegationEdgeId} → ${delegated.agentSessionId} (hop ${delegated.hop})`);
          await callTools(delegated);
        }),
      );
    });
  });

  const audiences = tools.calls.map((call) => call.claims.aud);
  check(tools.calls.length === CALLS, `expected ${CALLS} tool calls, the handler saw ${tools.calls.length}`);
  check(audiences.every((aud) => aud === TOOLS_RESOURCE || (Array.isArray(aud) && aud.length === 1 && aud[0] === TOOLS_RESOURCE)), 'audience');
  check(new Set(tools.calls.map((call) => call.claims.jti)).size === tools.calls.length, 'a tools/call reused a mandate (jti)');
  const presented = tools.authorizations.filter((header) => header !== '');
  check(presented.length === tools.authorizations.length, 'a request reached the server without a mandate');
  check(new Set(presented).size === presented.length, 'a mandate was presented twice');
  check(!presented.includes(`Bearer ${await caracal.sessionMandate()}`), "the client's own session mandate was sent to the tool server");
  console.log(`mandates  ${presented.length} requests to ${tools.url}, ${new Set(presented).size} distinct mandates, ${CALLS} tools/call with aud ${TOOLS_RESOURCE}`);
} finally {
  await tools.close();
  await stack.close();
}

if (failures.length > 0) {
  console.error(`✗ mcp-tool failed: ${failures.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log('✓ mcp-tool ok');
}
