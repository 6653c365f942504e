import { BootstrapDocument, schemaChecker } from '@caracal/protocol';
import type { ServerContext } from '../server-context.ts';
import { BootstrapError } from './bootstrap-error.ts';
import { findApplicationCredentials, insertApplication, updateApplication } from './identity/application-repository.ts';
import { upsertResource } from './identity/resource-repository.ts';
import { upsertZone } from './identity/zone-repository.ts';
import { hashSecret, verifySecret } from './secrets/secret-hash.ts';

export type { BootstrapDocument } from '@caracal/protocol';

const checkDocument = schemaChecker(BootstrapDocument);

/**
 * Makes the declared zones, applications and resources exist, idempotently: running it again
 * changes nothing. What the document declares wins: an existing application takes the declared
 * scopes and admin flag, and when its stored hash does not match the declared secret the hash is
 * replaced (so editing the secret in the config file rotates it). Zones, applications and
 * resources that the document does not mention are left alone. An application id already used in
 * another zone is an error (an application belongs to one zone).
 */
export async function applyBootstrap(context: ServerContext, declared: BootstrapDocument): Promise<void> {
  const checked = checkDocument(declared);
  if (!checked.ok) throw new BootstrapError(checked.problems.join('; '));
  const document = checked.value;
  checkApplicationsUnique(document);
  const { database } = context;
  for (const [zoneIndex, zone] of document.zones.entries()) {
    const now = new Date(context.now());
    await upsertZone(database, { id: zone.id, name: zone.name, createdAt: now });
    for (const [applicationIndex, application] of (zone.applications ?? []).entries()) {
      const scopes = [...new Set(application.scopes ?? [])];
      const admin = application.admin ?? false;
      const existing = await findApplicationCredentials(database, application.id);
      if (existing !== undefined) {
        if (existing.zoneId !== zone.id) {
          throw new BootstrapError(`application ${application.id} already belongs to zone ${existing.zoneId}, not ${zone.id}`, `zones[${zoneIndex}].applications[${applicationIndex}].id`);
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

/** An application belongs to one zone: a document declaring one id twice is refused before any write. */
function checkApplicationsUnique(document: BootstrapDocument): void {
  const seen = new Map<string, string>();
  for (const [zoneIndex, zone] of document.zones.entries()) {
    for (const [applicationIndex, application] of (zone.applications ?? []).entries()) {
      const path = `zones[${zoneIndex}].applications[${applicationIndex}].id`;
      const first = seen.get(application.id);
      if (first !== undefined) throw new BootstrapError(`application ${application.id} is already declared at ${first} (an application belongs to one zone)`, path);
      seen.set(application.id, path);
    }
  }
}
