import type { FastifyInstance } from 'fastify';
import { acceptEmptyJsonBodies } from '../http/optional-body.ts';
import type { ServerContext } from '../server-context.ts';
import { blueprintRoutes } from './blueprints/blueprint-routes.ts';
import { delegationRoutes } from './delegations/delegation-routes.ts';
import { invocationRoutes } from './invocations/invocation-routes.ts';
import { runnerRoutes } from './runners/runner-routes.ts';
import { runRoutes } from './runs/run-routes.ts';
import { seedRoutes } from './seed-routes/seed-routes.ts';
import { serviceAgentRoutes } from './service-agents/service-agent-routes.ts';
import { sessionRoutes } from './sessions/session-routes.ts';
import { installAuthentication } from './shared/request-principal.ts';
import { legacyEventRoutes } from './timeline/legacy-event-routes.ts';
import { seedSessionRoutes } from './timeline/seed-session-routes.ts';
import { sessionEventRoutes } from './timeline/session-event-routes.ts';

/**
 * The Coordinator's HTTP surface: agent sessions, delegation edges, invocations, service agents,
 * the `/v1` aliases (docs/decisions/2026-12-04-v1-compatibility-routes.md), the Agent Coordinator
 * sessions and timelines (docs/sessions.md) and blueprints (`/agents`, docs/blueprints.md). Every route needs a
 * bearer mandate with
 * `agent:lifecycle`; the hook (and the JSON parser that reads an empty body as none) applies only
 * to the routes registered in this plugin.
 */
export async function coordinatorPlugin(app: FastifyInstance, options: { context: ServerContext }): Promise<void> {
  const { context } = options;
  installAuthentication(app, context.tokenVerifier);
  acceptEmptyJsonBodies(app);
  await app.register(sessionRoutes, { context });
  await app.register(delegationRoutes, { context });
  await app.register(invocationRoutes, { context });
  await app.register(serviceAgentRoutes, { context });
  await app.register(seedRoutes, { context });
  await app.register(seedSessionRoutes, { context });
  await app.register(sessionEventRoutes, { context });
  await app.register(legacyEventRoutes, { context });
  await app.register(runRoutes, { context });
  await app.register(runnerRoutes, { context });
  await app.register(blueprintRoutes, { context });
}
