import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { A2A_PROTOCOL_VERSION, Role, type AgentCard, type Message } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import type { Caracal } from '@caracal/sdk';
import { createA2AFetch } from '@caracal/sdk/a2a';
import type { ConnectMiddleware } from '@caracal/sdk/verify';

export interface A2AAgent {
  readonly url: string;
  /** Every inbound Authorization header, in arrival order. */
  readonly authorizations: string[];
  close(): Promise<void>;
}

export interface A2AAgentOptions {
  readonly name: string;
  /** The Caracal verify middleware every request passes first. */
  readonly guard: ConnectMiddleware;
  /** Answers one text message; runs inside the context the middleware bound. */
  readonly answer: (text: string) => Promise<string>;
  /** Extra routes behind the same guard. */
  readonly routes?: (app: Express) => void;
}

const textMessage = (text: string, role: Role, contextId = ''): Message => ({
  messageId: randomUUID(),
  contextId,
  taskId: '',
  role,
  parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
  metadata: undefined,
  extensions: [],
  referenceTaskIds: [],
});

function textOf(message: Message | undefined): string {
  const part = message?.parts.find((candidate) => candidate.content?.$case === 'text');
  return part?.content?.$case === 'text' ? part.content.value : '';
}

/** The first text part anywhere in an A2A result (a message, or a task's status message). */
function firstText(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record.$case === 'text' && typeof record.value === 'string') return record.value;
  for (const child of Object.values(record)) {
    const found = firstText(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

function agentCard(name: string, baseUrl: string): AgentCard {
  return {
    name,
    description: `${name} (Caracal story agent)`,
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

/** A real @a2a-js/sdk agent (express JSON-RPC + agent card) on port 0, behind `guard`. */
export async function startA2AAgent(options: A2AAgentOptions): Promise<A2AAgent> {
  const authorizations: string[] = [];
  let baseUrl = '';
  const executor: AgentExecutor = {
    async execute(requestContext, eventBus) {
      const reply = await options.answer(textOf(requestContext.userMessage));
      eventBus.publish(AgentEvent.message(textMessage(reply, Role.ROLE_AGENT, requestContext.contextId)));
      eventBus.finished();
    },
    async cancelTask() {},
  };
  const app = express();
  app.use((request, _response, next) => {
    authorizations.push(request.headers.authorization ?? '');
    next();
  });
  app.use(options.guard);
  app.use(express.json());
  options.routes?.(app);
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: async () => agentCard(options.name, baseUrl) }));
  const handler = new DefaultRequestHandler(agentCard(options.name, 'http://placeholder'), new InMemoryTaskStore(), executor);
  app.use('/a2a/jsonrpc', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sends one text message to an A2A agent through `createA2AFetch` (a fresh per-call mandate for
 * `resource` on every request, W3C trace headers) and returns the agent's text reply.
 */
export async function sendText(caracal: Caracal, agentUrl: string, resource: string, text: string): Promise<string> {
  const fetchImpl = createA2AFetch({ caracal, resource, scopes: ['agents:message'], retries: 0 });
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
  const client = await factory.createFromUrl(agentUrl);
  const result = await client.sendMessage({ tenant: '', message: textMessage(text, Role.ROLE_USER), configuration: undefined, metadata: undefined });
  const reply = firstText(result);
  if (reply === undefined) throw new Error(`the agent answered without text: ${JSON.stringify(result)}`);
  return reply;
}
