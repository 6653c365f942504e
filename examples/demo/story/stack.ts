import { randomBytes } from 'node:crypto';
import { Caracal } from '@caracal/sdk';
import { createVerifier, sseRevocationSource, type RevocationSource, type Verifier } from '@caracal/sdk/verify';
import { startServer, type RunningServer } from '@caracal/server';

export const ZONE = 'zone_story';
export const ORCHESTRATOR_APP = 'app_orchestrator';
export const PARTNER_APP = 'app_partner';
export const TOOLS_RESOURCE = 'mcp://tools.story';
export const PARTNER_RESOURCE = 'https://partner.story';
export const BILLING_RESOURCE = 'https://billing.story';

/** Where the server keeps its state: embedded (PGlite + in-process bus) unless URLs are given. */
export interface StackOptions {
  readonly databaseUrl?: string | undefined;
  readonly databaseSchema?: string | undefined;
  readonly redisUrl?: string | undefined;
}

/** The real Caracal server, one client per application, and an operator. */
export interface Stack {
  readonly server: RunningServer;
  readonly orchestrator: Caracal;
  readonly partner: Caracal;
  /** An operator mandate of the story's zone (one hour): what the console signs in with. */
  readonly operatorToken: string;
  /** A verifier for one resource, fed by the Coordinator's SSE revocation feed. */
  verifier(audience: string): Promise<Verifier>;
  /** POST /zones/{zone}/delegations/{id}/revoke with an operator mandate; resolves when answered. */
  revokeEdge(edgeId: string): Promise<{ revoked_edges: number; affected_sessions: number }>;
  close(): Promise<void>;
}

const secret = (): string => randomBytes(18).toString('base64url');

async function postJson(url: string, token: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** Starts the server with both applications and the three resources of the story. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const adminToken = secret();
  const secrets = { orchestrator: secret(), partner: secret() };
  const scopes = ['tools:call', 'agents:message'];
  const server = await startServer({
    port: 0,
    logger: false,
    adminToken,
    // No built-in secrets: a story on Postgres brings its own (the embedded database would generate them).
    keyEncryptionSecret: secret(),
    eventSigningSecret: secret(),
    databaseUrl: options.databaseUrl,
    databaseSchema: options.databaseSchema,
    redisUrl: options.redisUrl,
    redisKeyPrefix: options.redisUrl === undefined ? undefined : `story_${randomBytes(4).toString('hex')}`,
    bootstrap: {
      zones: [{
        id: ZONE,
        applications: [
          { id: ORCHESTRATOR_APP, secret: secrets.orchestrator, scopes: [...scopes, 'reports:write'] },
          { id: PARTNER_APP, secret: secrets.partner, scopes },
        ],
        resources: [
          { id: TOOLS_RESOURCE, scopes: ['tools:call'] },
          { id: PARTNER_RESOURCE, scopes: ['agents:message'] },
          { id: BILLING_RESOURCE, scopes: ['agents:message'] },
        ],
      }],
    },
  });
  const client = (clientId: string, clientSecret: string): Caracal =>
    new Caracal({ coordinatorUrl: server.url, zoneId: ZONE, clientId, clientSecret, onCleanupError: () => undefined });
  const orchestrator = client(ORCHESTRATOR_APP, secrets.orchestrator);
  const partner = client(PARTNER_APP, secrets.partner);
  const operator = (await postJson(`${server.url}/admin/zones/${ZONE}/operator-token`, adminToken, { ttl_seconds: 3600 })) as { access_token: string };
  const sources: RevocationSource[] = [];
  return {
    server,
    orchestrator,
    partner,
    operatorToken: operator.access_token,
    async verifier(audience) {
      const revocation = sseRevocationSource({ url: server.url, zoneId: ZONE, token: operator.access_token, replayMs: 0 });
      sources.push(revocation);
      await revocation.ready();
      return createVerifier({ issuer: server.url, zoneId: ZONE, audience, revocation });
    },
    async revokeEdge(edgeId) {
      return (await postJson(`${server.url}/zones/${ZONE}/delegations/${edgeId}/revoke`, operator.access_token, {})) as { revoked_edges: number; affected_sessions: number };
    },
    async close() {
      for (const source of sources) await source.close();
      await orchestrator.close();
      await partner.close();
      await server.close();
    },
  };
}
