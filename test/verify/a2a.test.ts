import { randomUUID } from 'node:crypto';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, type AgentCard } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor } from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler } from '@a2a-js/sdk/server/express';
import { current } from '@caracal/sdk';
import { a2aUserBuilder, verifyExpress, type CaracalA2AUser } from '@caracal/sdk/verify';
import { agentTextReply, testAgentCard } from '../support/a2a-agent-parts.ts';
import { CALLER_SESSION, startMandateIssuer, ZONE, type MandateIssuer } from './helpers/mandate-issuer.ts';
import { listenOnLoopback, type Listening } from '../support/listen-on-loopback.ts';

const RESOURCE = 'https://billing-agent.verify.e2e';

let issuer: MandateIssuer;
let listening: Listening;
let baseUrl = '';
let postsReachingA2A = 0;

/** Answers with what it sees: the ambient Caracal context and the A2A user built from it. */
const reportingAgent: AgentExecutor = {
  async execute(requestContext, eventBus) {
    await Promise.resolve();
    const user = requestContext.context?.user as CaracalA2AUser | undefined;
    const report = JSON.stringify({ context: current(), user: user?.userName, authenticated: user?.isAuthenticated });
    eventBus.publish(agentTextReply(requestContext.contextId, report));
    eventBus.finished();
  },
  async cancelTask() {},
};

const agentCard = (): AgentCard => testAgentCard(baseUrl, 'Reports its verified caller (verify e2e).');

beforeAll(async () => {
  issuer = await startMandateIssuer();
  const verifier = issuer.verifier(RESOURCE, { requiredScopes: ['agents:message'] });
  const requestHandler = new DefaultRequestHandler(agentCard(), new InMemoryTaskStore(), reportingAgent);
  const app = express();
  // The card stays public; the JSON-RPC endpoint requires a mandate for this agent.
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: async () => agentCard() }));
  app.use(
    '/a2a/jsonrpc',
    verifyExpress({ verifier }),
    (_request, _response, next) => {
      postsReachingA2A++;
      next();
    },
    jsonRpcHandler({ requestHandler, userBuilder: a2aUserBuilder }),
  );
  listening = await listenOnLoopback(app);
  baseUrl = listening.url;
});

afterAll(async () => {
  await listening.close();
  await issuer.close();
});

const message = (text: string) => ({
  tenant: '',
  message: {
    messageId: randomUUID(),
    contextId: '',
    taskId: '',
    role: Role.ROLE_USER,
    parts: [{ content: { $case: 'text' as const, value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  },
  configuration: undefined,
  metadata: undefined,
});

function factory(fetchImpl: typeof fetch): ClientFactory {
  return new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
}

describe('@a2a-js/sdk Express agent behind verifyExpress', () => {
  it('the agent executor runs in the verified caller context and sees the caller as its A2A user', async () => {
    const withMandate: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${await issuer.mint(RESOURCE)}`);
      return fetch(input, { ...init, headers });
    };
    const client = await factory(withMandate).createFromUrl(baseUrl);
    const result = await client.sendMessage(message('pay invoice 42'));
    const reply = result as { parts?: Array<{ content?: { value?: string } }> };
    const report = JSON.parse(reply.parts?.[0]?.content?.value ?? 'null') as { context: Record<string, unknown>; user: string; authenticated: boolean };
    expect(report.context).toMatchObject({ zoneId: ZONE, clientId: 'app_e2e_caller', agentSessionId: CALLER_SESSION, hop: 2 });
    expect(report.user).toBe(CALLER_SESSION);
    expect(report.authenticated).toBe(true);
  });

  it('refuses a caller without a mandate for this agent before A2A sees the request', async () => {
    const before = postsReachingA2A;
    const foreign: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${await issuer.mint('https://other-agent.e2e')}`);
      return fetch(input, { ...init, headers });
    };
    const client = await factory(foreign).createFromUrl(baseUrl);
    await expect(client.sendMessage(message('pay invoice 43'))).rejects.toThrow();
    expect(postsReachingA2A).toBe(before);
  });
});
