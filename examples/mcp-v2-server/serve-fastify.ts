import Fastify, { type FastifyInstance } from 'fastify';
import { verifyFastify, type CaracalIncomingMessage, type Verifier } from '@caracal/sdk/verify';
import type { McpFetch } from './mcp-tools.ts';

// #region fastify
async function serveMcpOnFastify(mcp: McpFetch, verifier: Verifier): Promise<FastifyInstance> {
  // forceCloseConnections: close() ends the connections MCP clients keep open instead of waiting.
  const app = Fastify({ forceCloseConnections: true });
  // mcp: verifies in preHandler, once the JSON-RPC body is parsed, so initialize and the stream may
  // come with protocol mandates (no budget spent) and tools/call needs a per-call one
  // (401/403/503 on failure); the handler runs in the caller's context, and request.raw.auth
  // holds the mandate as MCP AuthInfo.
  await app.register(verifyFastify, { verifier, requiredScopes: ['tools:call'], mcp: true });
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    handler: async (request, reply) => {
      const { auth } = request.raw as CaracalIncomingMessage;
      if (auth === undefined) return reply.code(401).send();
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
      // Fastify already parsed the JSON body: hand it over as parsedBody.
      const webRequest = new Request(new URL(request.url, `http://${request.headers.host}`), { method: request.method, headers });
      const response = await mcp(webRequest, { authInfo: auth, parsedBody: request.body });
      return reply.send(response); // Fastify sends a web Response as it is
    },
  });
  return app;
}
// #endregion fastify

export { serveMcpOnFastify };
