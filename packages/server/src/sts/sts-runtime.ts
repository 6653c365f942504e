import type { ServerContext } from '../server-context.ts';
import type { ZoneKeyStore } from './keys/zone-key-store.ts';
import type { VerifiedMandateCache } from './mandates/verified-mandate-cache.ts';
import type { ClientAuthenticator } from './token/client-authentication.ts';
import type { ExchangeRecord } from './token/exchange-audit-log.ts';
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
  /** Records exchanges on the sessions' timelines, concurrent ones in one statement (ExchangeAuditLog). */
  audit: ExchangeRecorder;
}

/** Where an exchange's record goes; the exchange answers only once `record` resolved. */
export interface ExchangeRecorder {
  record(record: ExchangeRecord): Promise<void>;
}

const runtimes = new WeakMap<ServerContext, StsRuntime>();

export function attachStsRuntime(context: ServerContext, runtime: StsRuntime): void {
  runtimes.set(context, runtime);
}

/**
 * The STS runtime of a server's context, for benches that compare the mint path with and without
 * its record in one process (bench/sts.ts swaps `audit`): never reached by the server itself.
 */
export function stsRuntimeOf(context: ServerContext): StsRuntime {
  const runtime = runtimes.get(context);
  if (runtime === undefined) throw new TypeError('stsRuntimeOf: this server serves no STS');
  return runtime;
}
