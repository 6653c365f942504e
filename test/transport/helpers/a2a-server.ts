import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { A2A_PROTOCOL_VERSION, Role, type AgentCard } from '@a2a-js/sdk';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import type { MandateCheck } from './caracal-server.ts';

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
    eventBus.publish(
      AgentEvent.message({
        messageId: randomUUID(),
        contextId: requestContext.contextId,
        taskId: '',
        role: Role.ROLE_AGENT,
        parts: [{ content: { $case: 'text', value: `paid ${requestContext.userMessage.messageId}` }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      }),
    );
    eventBus.finished();
  },
  async cancelTask() {},
};

function agentCard(baseUrl: string): AgentCard {
  return {
    name: 'billing-agent',
    description: 'Pays invoices (e2e test agent).',
    supportedInterfaces: [{ url: `${baseUrl}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: A2A_PROTOCOL_VERSION }],
    provider: undefined,
    version: '1.0.0',
    capabilities: { streaming: false, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [],
    signatures: [],
  };
}

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
  const handler = new DefaultRequestHandler(agentCard('http://placeholder'), new InMemoryTaskStore(), echoAgent);
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
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: async () => agentCard(baseUrl) }));
  app.use('/a2a/jsonrpc', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    failNext,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
