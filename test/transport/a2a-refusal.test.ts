import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { agentCardHandler } from '@a2a-js/sdk/server/express';
import { createA2AFetch } from '@caracal/sdk/a2a';
import { createVerifier, verifyExpress, type Verifier } from '@caracal/sdk/verify';
import { testAgentCard } from '../support/a2a-agent-parts.ts';
import { startCaracalStack, type CaracalStack } from './helpers/caracal-server.ts';
import { listenOnLoopback, type Listening } from '../support/listen-on-loopback.ts';

const RESOURCE = 'https://refusing-agent.e2e';

let stack: CaracalStack;
let verifier: Verifier;
let listening: Listening;
let agentUrl = '';

beforeAll(async () => {
  stack = await startCaracalStack([RESOURCE]);
  // The agent wants a scope the caller's mandates never carry: every request is refused with a reason.
  verifier = createVerifier({ issuer: stack.url, zoneId: stack.caracal.zoneId, audience: RESOURCE, requiredScopes: ['agents:admin'] });
  const app = express();
  app.use(verifyExpress({ verifier }));
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: async () => testAgentCard(agentUrl, 'refuses everyone') }));
  listening = await listenOnLoopback(app);
  agentUrl = listening.url;
});

afterAll(async () => {
  await listening.close();
  await verifier.close();
  await stack.close();
});

it("surfaces the agent's refusal through a2a-js's card resolver, instead of 'Failed to fetch Agent Card … 403'", async () => {
  const fetchImpl = createA2AFetch({ caracal: stack.caracal, resource: RESOURCE, scopes: ['agents:message'] });
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
  const failure = await stack.asAgent(() => factory.createFromUrl(agentUrl)).catch((error: unknown) => error);
  expect(failure).toMatchObject({ code: 'FORBIDDEN', status: 403, serverCode: 'insufficient_scope' });
  expect((failure as Error).message).toMatch(/was refused with HTTP 403 \(insufficient_scope\): .*agents:admin/);
  expect((failure as Error).message).not.toContain('Failed to fetch Agent Card');
});
