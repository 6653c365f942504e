/** Quickstart: spawn an agent, delegate to a second one, exchange a per-call mandate. */
import { bind, Caracal, current } from '@caracal/sdk';
import { startServer } from '@caracal/server';
// Display only: decoding does not verify; receivers use @caracal/sdk/verify.
import { decodeJwt } from 'jose';

const zone = 'zone_quickstart';
const server = await startServer({
  port: 0,
  logger: false,
  bootstrap: { zones: [{ id: zone, applications: [{ id: 'app_quickstart', secret: 'quickstart-secret', scopes: ['tools:call'] }], resources: [{ id: 'mcp://tools.local', scopes: ['tools:call'] }] }] },
});
const caracal = new Caracal({ coordinatorUrl: server.url, zoneId: zone, clientId: 'app_quickstart', clientSecret: 'quickstart-secret' });
const failures: string[] = [];
try {
  await caracal.spawn({ kind: 'instance' }, async (parent) => {
    console.log(`spawned   ${parent.agentSessionId} (hop ${parent.hop}, trace ${parent.traceId})`);
    await caracal.spawn({ kind: 'ephemeral', grant: 'none' }, async (helper) => {
      // The edge goes from the parent's session to the helper's: delegate in the parent's context.
      await bind(parent, () => caracal.delegate({ to: helper.agentSessionId!, scopes: ['tools:call'], ttlSeconds: 300 }, async (child) => {
        console.log(`delegated ${child.delegationEdgeId} → ${child.agentSessionId} (hop ${child.hop})`);
        const mandate = await caracal.exchange({ resource: 'mcp://tools.local', scopes: ['tools:call'] });
        const claims = decodeJwt(mandate.accessToken);
        console.log(`exchanged mandate aud=${String(claims.aud)} scope=${String(claims.scope)} path=${JSON.stringify(claims.delegation_path)}`);
        console.log('context  ', JSON.stringify({ ...current(), subjectToken: '…' }));
        if (claims.aud !== 'mcp://tools.local') failures.push('audience');
        if (claims.delegation_edge_id !== child.delegationEdgeId) failures.push('edge');
      }));
    });
  });
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
