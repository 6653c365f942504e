import type { ServerResponse } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { current, type Caracal, type CaracalContext } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { verifyExpress, type CaracalIncomingMessage, type Verifier } from '@caracal/sdk/verify';
import { sendText, startA2AAgent, type A2AAgent } from './a2a-agent.ts';
import { BILLING_RESOURCE, PARTNER_APP, TOOLS_RESOURCE } from './stack.ts';

/** What the partner agent did for one message, under which context. */
export interface PartnerTurn {
  readonly context: CaracalContext | undefined;
  readonly toolResults: string[];
  readonly billingReply: string;
}

export interface PartnerAgentOptions {
  readonly partner: Caracal;
  readonly verifier: Verifier;
  /** The partner's own long-lived session: the only delegation target it acts under. */
  readonly sessionId: () => string | undefined;
  readonly toolsUrl: string;
  readonly billingUrl: string;
}

export interface PartnerAgent extends A2AAgent {
  readonly turns: PartnerTurn[];
}

const CHUNK = Buffer.alloc(4096, 'x');

/** Streams 4 KiB chunks until the guard cuts the response (revocation) or the client leaves. */
function watch(request: CaracalIncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  const signal = request.caracal?.signal;
  let sent = 0;
  const timer = setInterval(() => {
    if (signal?.aborted === true || response.writableEnded || response.destroyed) return void clearInterval(timer);
    response.write(CHUNK);
    // A bound on the stream, so a missed revocation ends the story instead of hanging it.
    if (++sent >= 1500) {
      clearInterval(timer);
      response.end();
    }
  }, 10);
  response.on('close', () => clearInterval(timer));
}

async function callTools(options: PartnerAgentOptions): Promise<string[]> {
  const client = new Client({ name: 'partner-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(options.toolsUrl), {
    fetch: createMcpFetch({
      caracal: options.partner,
      resource: TOOLS_RESOURCE,
      scopes: ['tools:call'],
      // The tools server refuses a replayed one-shot mandate, so nothing is presented twice.
      otherRequests: 'exchange',
    }),
  });
  await client.connect(transport);
  try {
    const results: string[] = [];
    for (let index = 0; index < 2; index++) {
      const result = await client.callTool({ name: 'lookup_invoice', arguments: {} });
      results.push((result.content as Array<{ text?: string }>)[0]?.text ?? '');
    }
    await transport.terminateSession();
    return results;
  } finally {
    await client.close();
  }
}

/**
 * app_partner's A2A agent. Its middleware verifies the caller's mandate, then binds a context with
 * the partner's OWN credentials acting under the delegation edge named in the caller's baggage
 * (`actAs`), so its MCP and A2A calls exchange its own session mandate with that edge.
 */
export async function startPartnerAgent(options: PartnerAgentOptions): Promise<PartnerAgent> {
  const turns: PartnerTurn[] = [];
  const guard = verifyExpress({
    verifier: options.verifier,
    requiredScopes: ['agents:message'],
    actAs: {
      clientId: PARTNER_APP,
      tokenSource: () => options.partner.sessionMandate(),
      // The edge must target our own session; the STS re-checks source, lineage and ownership.
      trustEdge: (candidate) => candidate.agentSessionId === options.sessionId(),
    },
  });
  const agent = await startA2AAgent({
    name: 'partner-agent',
    guard,
    routes: (app) => app.get('/watch', (request, response) => watch(request as CaracalIncomingMessage, response)),
    answer: async () => {
      const context = current();
      const toolResults = await callTools(options);
      const billingReply = await sendText(options.partner, options.billingUrl, BILLING_RESOURCE, 'pay invoice 42');
      turns.push({ context, toolResults, billingReply });
      return `done: ${toolResults.join('; ')}; billing: ${billingReply}`;
    },
  });
  return { ...agent, turns };
}
