import type { ServerContext } from '../server-context.ts';
import { findApplicationCredentials, insertApplication, updateApplication } from './identity/application-repository.ts';
import { IDENTIFIER_PATTERN } from './identity/identity-rows.ts';
import { upsertResource } from './identity/resource-repository.ts';
import { upsertZone } from './identity/zone-repository.ts';
import { isResourceIdentifier } from './http/resource-identifier.ts';
import { isScopeToken } from './http/scopes.ts';
import { hashSecret, verifySecret } from './secrets/secret-hash.ts';

/** The declarative `bootstrap` document of DESIGN §4. */
export interface BootstrapDocument {
  zones: Array<{
    id: string;
    name?: string;
    applications?: Array<{ id: string; secret: string; scopes?: string[]; admin?: boolean }>;
    resources?: Array<{ id: string; scopes: string[] }>;
  }>;
}

const IDENTIFIER = new RegExp(IDENTIFIER_PATTERN);

/**
 * Makes the declared zones, applications and resources exist, idempotently: running it again
 * changes nothing. What the document declares wins: an existing application takes the declared
 * scopes and admin flag, and when its stored hash does not match the declared secret the hash is
 * replaced (so editing the secret in the config file rotates it). Zones, applications and
 * resources that the document does not mention are left alone. An application id already used in
 * another zone is an error (an application belongs to one zone).
 */
export async function applyBootstrap(context: ServerContext, document: BootstrapDocument): Promise<void> {
  validateDocument(document);
  const { database } = context;
  for (const zone of document.zones) {
    const now = new Date(context.now());
    await upsertZone(database, { id: zone.id, name: zone.name, createdAt: now });
    for (const application of zone.applications ?? []) {
      const scopes = [...new Set(application.scopes ?? [])];
      const admin = application.admin ?? false;
      const existing = await findApplicationCredentials(database, application.id);
      if (existing !== undefined) {
        if (existing.zoneId !== zone.id) {
          throw new Error(`bootstrap: application ${application.id} already belongs to zone ${existing.zoneId}, not ${zone.id}`);
        }
        const secretMatches = await verifySecret(application.secret, existing.secretHash);
        const secretHash = secretMatches ? undefined : await hashSecret(application.secret);
        await updateApplication(database, { id: application.id, scopes, admin, secretHash, now });
        continue;
      }
      const inserted = await insertApplication(database, {
        id: application.id,
        zoneId: zone.id,
        name: application.id,
        scopes,
        admin,
        secretHash: await hashSecret(application.secret),
        now,
      });
      if (inserted === undefined) {
        // Another replica bootstrapped the same application between our read and insert: apply ours on top.
        await updateApplication(database, { id: application.id, scopes, admin, secretHash: await hashSecret(application.secret), now });
      }
    }
    for (const resource of zone.resources ?? []) {
      await upsertResource(database, { zoneId: zone.id, identifier: resource.id, scopes: [...new Set(resource.scopes)], now });
    }
  }
}

function validateDocument(document: BootstrapDocument): void {
  const fail = (message: string): never => {
    throw new Error(`bootstrap: ${message}`);
  };
  if (typeof document !== 'object' || document === null || !Array.isArray(document.zones)) fail('zones must be a list');
  for (const zone of document.zones) {
    if (typeof zone.id !== 'string' || !IDENTIFIER.test(zone.id)) fail(`zone id ${JSON.stringify(zone.id)} is invalid`);
    for (const application of zone.applications ?? []) {
      if (typeof application.id !== 'string' || !IDENTIFIER.test(application.id)) {
        fail(`application id ${JSON.stringify(application.id)} in zone ${zone.id} is invalid`);
      }
      if (typeof application.secret !== 'string' || application.secret.length === 0 || application.secret.length > 512) {
        fail(`application ${application.id} needs a secret (1–512 characters)`);
      }
      if (application.scopes !== undefined && !(Array.isArray(application.scopes) && application.scopes.every(isScopeToken))) {
        fail(`application ${application.id} has an invalid scope`);
      }
    }
    for (const resource of zone.resources ?? []) {
      if (!isResourceIdentifier(resource.id)) fail(`resource id ${JSON.stringify(resource.id)} in zone ${zone.id} is not an absolute URI`);
      if (!Array.isArray(resource.scopes) || !resource.scopes.every(isScopeToken)) fail(`resource ${resource.id} has an invalid scope`);
    }
  }
}
