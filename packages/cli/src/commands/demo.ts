import type { AgentSession, UncheckedBody } from '@caracal/protocol';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { startEmbeddedServer } from '../embedded-server.ts';
import { CliError } from '../errors.ts';
import { createAdminClient } from '../http/admin-client.ts';
import { createCoordinatorClient, type CoordinatorClient } from '../http/coordinator-client.ts';
import { fetchSessionMandate } from '../http/sts-client.ts';
import { randomToken } from '../random-token.ts';
import { renderTree } from '../tree-view.ts';
import { EDGE_COLUMNS, TRAVERSE_COLUMNS } from './columns.ts';

const ZONE = 'zone_demo';
const APPLICATION = 'app_demo';
const RESOURCE = 'mcp://tools.demo';
const SCOPE = 'tools:call';

/** `caracal demo`: a self-contained tour through the same HTTP API the other commands use. */
export function registerDemo(program: Command, context: CommandContext): void {
  program
    .command('demo')
    .description('A short tour: embedded server, a zone, an agent tree, a delegation chain, a cascading revocation')
    .action(async () => {
      const adminToken = randomToken(18);
      const server = await context.progress('starting an embedded server…', () =>
        startEmbeddedServer('caracal demo', { port: 0, host: '127.0.0.1', adminToken, logger: false }),
      );
      try {
        await tour(context, server.url, adminToken);
      } finally {
        await server.close();
      }
    });
}

async function tour(context: CommandContext, url: string, adminToken: string): Promise<void> {
  const { output } = context;
  const heading = (text: string): void => output.line(`\n${output.style.cyan(`▸ ${text}`)}`);
  output.line(`embedded server on ${url} (in memory; gone when the demo ends)`);

  heading(`bootstrap: zone ${ZONE}, application ${APPLICATION}, resource ${RESOURCE}`);
  const admin = createAdminClient({ url, adminToken });
  const secret = await context.progress('bootstrapping…', async () => {
    await admin.createZone({ id: ZONE });
    const application = await admin.createApplication(ZONE, { id: APPLICATION, scopes: [SCOPE] });
    await admin.createResource(ZONE, { id: RESOURCE, scopes: [SCOPE] });
    if (typeof application.client_secret !== 'string') throw new CliError('invalid_response', 'create application: no client_secret');
    return application.client_secret;
  });
  const mandate = await fetchSessionMandate({ url, clientId: APPLICATION, clientSecret: secret, scope: SCOPE });
  const agents = createCoordinatorClient({ url, token: mandate, zoneId: ZONE });
  const operatorToken = (await admin.mintOperatorToken(ZONE, {})).access_token;
  if (typeof operatorToken !== 'string') throw new CliError('invalid_response', 'mint operator token: no access_token');
  const operator = createCoordinatorClient({ url, token: operatorToken, zoneId: ZONE });

  const { names, edges } = await context.progress('spawning agents and delegating…', () => buildScenario(agents));
  const name = (session: UncheckedBody<AgentSession>): string => names.get(String(session.id)) ?? 'agent';
  heading('caracal agent list, drawn as a tree');
  output.line(renderTree(await operator.listAgents(), { style: output.style, name }).trimEnd());

  // The root edge's chain holds every edge derived from it, so the revocation below kills
  // nothing the reader has not seen: researcher → writer included.
  heading(`caracal delegation traverse ${edges.orchestratorToResearcher}`);
  const chain = await operator.traverseDelegation(edges.orchestratorToResearcher);
  output.list(chain, { columns: TRAVERSE_COLUMNS, json: false });
  const nameOf = (id: unknown): string => names.get(String(id)) ?? String(id);
  for (const link of chain) {
    output.line(`  ${String(link.id)}  ${nameOf(link.source_session_id)} → ${nameOf(link.target_session_id)}`);
  }

  heading(`caracal delegation revoke ${edges.orchestratorToResearcher}`);
  const revoked = await operator.revokeDelegation(edges.orchestratorToResearcher);
  output.line(`{"revoked_edges": ${revoked.revoked_edges}, "affected_sessions": ${revoked.affected_sessions}}`);

  heading('after the revocation: every edge derived from it is revoked and the sessions it reached are terminated');
  output.line(renderTree(await operator.listAgents(), { style: output.style, name }).trimEnd());
  const [root] = [...names.keys()];
  heading(`caracal delegation outbound ${root!}`);
  output.list(await operator.listDelegations({ source_session_id: root! }), { columns: EDGE_COLUMNS, json: false });
  output.line(`\nNext: caracal server start, then caracal --help.`);
}

/**
 * orchestrator → researcher → fetcher, orchestrator → writer. Spawning a child records the
 * inherited delegation edge parent → child; one more edge, researcher → writer, is delegated
 * explicitly under the researcher's inherited edge, so it derives from orchestrator → researcher
 * and its revocation ends the writer too.
 */
async function buildScenario(agents: CoordinatorClient): Promise<{
  names: Map<string, string>;
  edges: { orchestratorToResearcher: string };
}> {
  const names = new Map<string, string>();
  const spawn = async (name: string, parentId?: string): Promise<{ id: string; edge: string }> => {
    const created = await agents.spawnAgent(parentId === undefined ? {} : { parent_id: parentId });
    const id = String(created.agent_session_id);
    names.set(id, name);
    return { id, edge: String(created.delegation_edge_id) };
  };
  const orchestrator = await spawn('orchestrator');
  const researcher = await spawn('researcher', orchestrator.id);
  await spawn('fetcher', researcher.id);
  const writer = await spawn('writer', orchestrator.id);
  await agents.createDelegation({
    source_session_id: researcher.id,
    target_session_id: writer.id,
    scopes: [SCOPE],
    resource_id: RESOURCE,
    parent_edge_id: researcher.edge,
  });
  return { names, edges: { orchestratorToResearcher: researcher.edge } };
}
