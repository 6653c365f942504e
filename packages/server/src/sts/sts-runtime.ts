import type { ServerContext } from '../server-context.ts';
import type { ZoneKeyStore } from './keys/zone-key-store.ts';
import type { VerifiedMandateCache } from './mandates/verified-mandate-cache.ts';
import type { ClientAuthenticator } from './token/client-authentication.ts';
import type { ExchangeAuditLog } from './token/exchange-audit-log.ts';
import type { ExchangeSnapshotReader } from './token/exchange-repository.ts';

/** What the STS routes share: the server context plus the STS's own in-memory caches. */
export interface StsRuntime {
  context: ServerContext;
  keyStore: ZoneKeyStore;
  clients: ClientAuthenticator;
  /** Session mandates presented as subject tokens, whose signature verified recently. */
  verifiedSubjects: VerifiedMandateCache;
  /** Reads what token exchanges decide on, concurrent ones in one statement. */
  snapshots: ExchangeSnapshotReader;
  /** Records exchanges on the sessions' timelines, concurrent ones in one statement. */
  audit: ExchangeAuditLog;
}
