import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server-context.ts';
import { adminRoutes } from './admin/admin-routes.ts';
import { registerFormParser } from './http/form-body.ts';
import { installLogRedaction } from './http/log-redaction.ts';
import { wellKnownRoutes } from './http/well-known-routes.ts';
import { zoneKeyStoreFor } from './keys/zone-key-store.ts';
import { VerifiedMandateCache } from './mandates/verified-mandate-cache.ts';
import { attachStsRuntime, type StsRuntime } from './sts-runtime.ts';
import { ClientAuthenticator } from './token/client-authentication.ts';
import { ExchangeAuditLog } from './token/exchange-audit-log.ts';
import { ExchangeSnapshotReader } from './token/exchange-repository.ts';
import { tokenRoute } from './token/token-route.ts';
import { verifyRoute } from './verify/verify-route.ts';

/**
 * The STS: token endpoint, JWKS and metadata, `/v1/verify`, and the admin API. Registered without
 * fastify-plugin, so its form parser and log redaction stay inside these routes (each group of
 * routes is a plugin of its own, and inherits both).
 */
export async function stsPlugin(app: FastifyInstance, options: { context: ServerContext }): Promise<void> {
  const { context } = options;
  const runtime: StsRuntime = {
    context,
    keyStore: zoneKeyStoreFor(context.database, context.config),
    clients: new ClientAuthenticator({ database: context.database, now: context.now }),
    verifiedSubjects: new VerifiedMandateCache(),
    snapshots: new ExchangeSnapshotReader(context.database),
    audit: new ExchangeAuditLog(context.database),
  };
  attachStsRuntime(context, runtime);
  installLogRedaction(app);
  registerFormParser(app);
  await app.register(tokenRoute, { runtime });
  await app.register(wellKnownRoutes, { runtime });
  await app.register(verifyRoute, { runtime });
  await app.register(adminRoutes, { runtime });
}
