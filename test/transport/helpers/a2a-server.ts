import type { IncomingHttpHeaders } from 'node:http';
import express from 'express';
import { DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import { agentTextReply, testAgentCard } from '../../support/a2a-agent-parts.ts';
import { listenOnLoopback } from '../../support/listen-on-loopback.ts';
import type { MandateCheck } from './caracal-server.ts';

const DESCRIPTION = 'Pays invoices (e2e test agent).';

/** What the agent's HTTP layer saw of one request. */
export interface SeenA2ARequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface A2ATestServer {
  readonly url: string;
  readonly requests: SeenA2ARequest[];
  /** Statuses to answer the next JSON-RPC posts with, before the agent sees them. */
  readonly failNext: number[];
  close(): Promise<void>;
}

const echoAgent: AgentExecutor = {
  async execute(requestContext, eventBus) {
    eventBus.publish(agentTextReply(requestContext.contextId, `paid ${requestContext.userMessage.messageId}`));
    eventBus.finished();
  },
  async cancelTask() {},
};

/**
 * A real @a2a-js/sdk agent (DefaultRequestHandler + express JSON-RPC and agent-card handlers) on
 * port 0, protected like a Caracal resource server: every request, the card included, needs a
 * mandate whose audience is `resource`. `failNext` injects transient failures in front of it.
 */
export async function startA2AServer(options: { verify: MandateCheck; resource: string }): Promise<A2ATestServer> {
  const requests: SeenA2ARequest[] = [];
  const failNext: number[] = [];
  const app = express();
  let baseUrl = '';
  const handler = new DefaultRequestHandler(testAgentCard('http://placeholder', DESCRIPTION), new InMemoryTaskStore(), echoAgent);
  app.use(express.json());
  app.use((request, response, next) => {
    requests.push({ method: request.method, path: request.path, headers: request.headers, body: request.body as unknown });
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    void (token === undefined ? Promise.resolve(undefined) : options.verify(token, options.resource).catch(() => undefined)).then((claims) => {
      if (claims === undefined) return void response.status(401).json({ error: 'invalid_token' });
      const failure = request.method === 'POST' ? failNext.shift() : undefined;
      if (failure !== undefined) return void response.status(failure).json({ error: 'injected' });
      next();
    });
  });
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: async () => testAgentCard(baseUrl, DESCRIPTION) }));
  app.use('/a2a/jsonrpc', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  const listening = await listenOnLoopback(app);
  baseUrl = listening.url;
  return { url: baseUrl, requests, failNext, close: listening.close };
}
