/**
 * Quickstart: the common story. An orchestrator spawns a worker and hands it a narrowed grant in
 * one call (a nested spawn with `grant: { mode: 'narrow', … }`); the worker exchanges a per-call
 * mandate under that edge. The region `story` is the root README's first example, line for line
 * (test/examples/readme-examples.test.ts compares them).
 */
import { Caracal, CaracalError, type CaracalContext } from '@caracal/sdk';
import { startServer } from '@caracal/server';
// Display only: decoding does not verify; receivers use @caracal/sdk/verify.
import { decodeJwt } from 'jose';

const zone = 'zone_quickstart';
const server = await startServer({
  port: 0,
  logger: false,
  bootstrap: {
    zones: [{
      id: zone,
      applications: [{ id: 'app_quickstart', secret: 'quickstart-secret', scopes: ['tools:call', 'reports:write'] }],
      resources: [{ id: 'mcp://tools.local', scopes: ['tools:call', 'reports:write'] }],
    }],
  },
});
const caracal = new Caracal({ coordinatorUrl: server.url, zoneId: zone, clientId: 'app_quickstart', clientSecret: 'quickstart-secret' });
const failures: string[] = [];
const check = (ok: boolean, what: string): void => void (ok || failures.push(what));

/** What the worker does with its mandate here: show it, and check that the grant really narrowed. */
async function report(orchestrator: CaracalContext, worker: CaracalContext, accessToken: string): Promise<void> {
  const claims = decodeJwt(accessToken);
  console.log(`orchestrator ${orchestrator.agentSessionId}`);
  console.log(`worker       ${worker.agentSessionId} under edge ${worker.delegationEdgeId}`);
  console.log(`mandate      aud=${String(claims.aud)} scope=${String(claims.scope)} session=${String(claims.agent_session_id)} edge=${String(claims.delegation_edge_id)}`);
  check(worker.agentSessionId !== orchestrator.agentSessionId, 'the worker has its own session');
  check(typeof worker.delegationEdgeId === 'string', 'the narrow grant recorded an edge orchestrator → worker');
  check(claims.aud === 'mcp://tools.local', 'audience');
  check(claims.scope === 'tools:call', 'scope');
  check(claims.agent_session_id === worker.agentSessionId, "the mandate names the worker's session");
  check(claims.delegation_edge_id === worker.delegationEdgeId, "the mandate names the worker's edge");
  // The application holds reports:write, the worker's grant does not: the STS refuses it.
  const refused = await caracal.exchange({ resource: 'mcp://tools.local', scopes: ['reports:write'] }).then(() => undefined, (error: unknown) => error);
  console.log(`narrowed     reports:write refused (${refused instanceof CaracalError ? refused.code : 'NOT REFUSED'})`);
  check(refused instanceof CaracalError && refused.code === 'TOKEN_EXCHANGE_FAILED', 'the worker could exchange a scope outside its grant');
}

try {
  // #region story
  await caracal.spawn({ kind: 'instance' }, async (orchestrator) => {
    // One call opens the worker's session as the orchestrator's child and hands it a narrowed
    // grant: an edge orchestrator → worker for tools:call on one resource, a budget of 20, no further hops.
    await caracal.spawn(
      { kind: 'ephemeral', ttlSeconds: 300, grant: { mode: 'narrow', scopes: ['tools:call'], resource: 'mcp://tools.local', constraints: { budget: 20, maxHops: 1 } } },
      async (worker) => {
        // In here the code acts as the worker: each exchange (and each MCP/A2A call through the
        // transports) presents the worker's session and that edge.
        const { accessToken } = await caracal.exchange({ resource: 'mcp://tools.local', scopes: ['tools:call'] });
        await report(orchestrator, worker, accessToken);
      },
    );
  });
  // #endregion story
} finally {
  await caracal.close();
  await server.close();
}
if (failures.length > 0) {
  console.error(`✗ quickstart failed: ${failures.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log('✓ quickstart ok');
}
