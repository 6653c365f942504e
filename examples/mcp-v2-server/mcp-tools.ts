import { current, type CaracalContext } from '@caracal/sdk';
import type { MandateClaims, McpAuthInfo } from '@caracal/sdk/verify';
import { McpServer, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';

/** What the `lookup_invoice` handler saw: the verified mandate and the context it ran in. */
export interface ToolCall {
  readonly host: string;
  readonly clientId: string | undefined;
  readonly claims: MandateClaims;
  readonly context: CaracalContext | undefined;
}

/** Serves one MCP request; `authInfo` is the verified mandate, which the server hands to tool handlers. */
export type McpFetch = (request: Request, options: { authInfo: McpAuthInfo; parsedBody?: unknown }) => Promise<Response>;

/**
 * A real MCP v2 server (`@modelcontextprotocol/server`), stateless: one server and one
 * web-standard transport per request, the v2 idiom for fetch-shaped hosts. Its tool records what
 * it saw, so the example can check it.
 */
export function mcpTools(host: string, calls: ToolCall[]): McpFetch {
  return async (request, options) => {
    const mcp = new McpServer({ name: `invoices-${host}`, version: '1.0.0' });
    mcp.registerTool('lookup_invoice', { description: 'Looks up an invoice as the verified caller.' }, async (ctx) => {
      await Promise.resolve();
      // ctx.http.authInfo is what the host passed on; extra.caracal holds the verified claims.
      const authInfo = ctx.http?.authInfo;
      const verified = authInfo?.extra?.caracal as { claims: MandateClaims } | undefined;
      if (verified === undefined) throw new Error('no verified Caracal mandate reached the tool');
      calls.push({ host, clientId: authInfo?.clientId, claims: verified.claims, context: current() });
      return { content: [{ type: 'text', text: `invoice 42: 120.00 EUR (served by ${host})` }] };
    });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await mcp.connect(transport);
    return transport.handleRequest(request, options);
  };
}
