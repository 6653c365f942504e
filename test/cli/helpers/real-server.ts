import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@caracal/server';

export const ZONE = 'zone_cli';
export const APPLICATION = 'app_cli';
export const APPLICATION_SECRET = 'app-cli-secret';
export const RESOURCE = 'mcp://tools.cli';
export const SCOPE = 'tools:call';

export interface RealServer {
  url: string;
  adminToken: string;
  /** An operator mandate for ZONE, minted through the admin API. */
  operatorToken: string;
  /** The environment a new operator would export. */
  operatorEnv: Record<string, string>;
  /** The server's blueprint directories (a temporary folder, removed on close). */
  agentsDir: string;
  close(): Promise<void>;
}

/** The real Coordinator + STS in this process on port 0, bootstrapped with one zone, application and resource. */
export async function startRealServer(): Promise<RealServer> {
  const adminToken = `admin-${Math.random().toString(36).slice(2)}`;
  const agentsDir = mkdtempSync(join(tmpdir(), 'caracal-cli-agents-'));
  const server = await startServer({
    port: 0,
    agentsDir,
    adminToken,
    logger: false,
    bootstrap: { zones: [{ id: ZONE, applications: [{ id: APPLICATION, secret: APPLICATION_SECRET, scopes: [SCOPE] }], resources: [{ id: RESOURCE, scopes: [SCOPE] }] }] },
  });
  try {
    const minted = await postJson(`${server.url}/admin/zones/${ZONE}/operator-token`, adminToken, {});
    const operatorToken = String(minted.access_token);
    return {
      url: server.url,
      adminToken,
      operatorToken,
      operatorEnv: { CARACAL_COORDINATOR_URL: server.url, CARACAL_COORDINATOR_TOKEN: operatorToken },
      agentsDir,
      close: async () => {
        await server.close();
        rmSync(agentsDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server.close();
    rmSync(agentsDir, { recursive: true, force: true });
    throw error;
  }
}

/** A POST with a JSON body; throws with the server's answer on a non-2xx. */
export async function postJson(url: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url} → ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}
