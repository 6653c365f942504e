import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { Backend } from '../../helpers/backends.ts';
import { bootstrapZone, buildStsTestApp, injectSessionToken, TOOLS_RESOURCE, FILES_RESOURCE, type StsTestApp } from '../../helpers/sts-fixtures.ts';

/** Two zones, each with an operator (admin) and an ordinary application, on one app. */
export interface BlueprintSuite {
  sts: StsTestApp;
  zoneId: string;
  otherZoneId: string;
  /** Session mandates: `operator` (caracal:admin) and `reader` of the zone, `stranger` (operator) of the other zone. */
  tokens: { operator: string; reader: string; stranger: string };
  call(request: { method: string; url: string; token?: string; body?: unknown }): Promise<LightMyRequestResponse>;
}

export { FILES_RESOURCE, TOOLS_RESOURCE };
/** A third resource accepting the same scopes as the tools one: per-resource bounds show on it. */
export const WIDE_RESOURCE = 'mcp://wide.test';

/** The suite every blueprint test file opens with (call inside its `describe`). */
export function useBlueprintSuite(backend: Backend, options: { agentsDir?: () => string } = {}): BlueprintSuite {
  const suite = {} as BlueprintSuite;
  beforeAll(async () => {
    suite.sts = await buildStsTestApp(backend, options.agentsDir === undefined ? {} : { agentsDir: options.agentsDir() });
    const applications = { operator: { scopes: ['tools:call', 'tools:read', 'files:read'], admin: true }, reader: { scopes: ['tools:call', 'tools:read'] } };
    const resources = { [TOOLS_RESOURCE]: ['tools:call', 'tools:read'], [FILES_RESOURCE]: ['files:read'], [WIDE_RESOURCE]: ['tools:call', 'tools:read'] };
    const zone = await bootstrapZone(suite.sts, { applications, resources });
    const other = await bootstrapZone(suite.sts, { applications, resources });
    suite.zoneId = zone.zoneId;
    suite.otherZoneId = other.zoneId;
    suite.tokens = {
      operator: await injectSessionToken(suite.sts.app, zone.applications.operator!),
      reader: await injectSessionToken(suite.sts.app, zone.applications.reader!),
      stranger: await injectSessionToken(suite.sts.app, other.applications.operator!),
    };
    suite.call = ({ method, url, token, body }) =>
      suite.sts.app.inject({
        method: method as 'GET',
        url,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
  });
  afterAll(async () => suite.sts?.close());
  return suite;
}
