import type { AddressInfo } from 'node:net';
import { buildApp, type CorsOrigins } from './app.ts';
import { defaultAgentsDir } from './coordinator/blueprints/agents-dir.ts';
import { DEFAULT_LIMITS, type ServerConfig, type SessionLimits } from './config.ts';
import type { Database } from './db/database.ts';
import { openDatabase } from './db/open-database.ts';
import { recoverRuns } from './coordinator/runs/run-recovery.ts';
import { DEFAULT_RUN_SETTINGS, type RunSettings } from './coordinator/runs/run-settings.ts';
import { restoreEmbeddedBus } from './events/embedded-bus-restore.ts';
import { openEventBus } from './events/open-event-bus.ts';
import { FEED_TOPICS } from './events/topics.ts';
import type { JobSettings } from './jobs/job-settings.ts';
import { startJobs } from './jobs/start-jobs.ts';
import { attachServerContext, serverContextOf, type ServerContext } from './server-context.ts';
import { listeningAddress } from './settings/public-url.ts';
import { resolveServerSecrets } from './settings/server-secrets.ts';
import { ServerSettingsError } from './settings/settings-error.ts';
import { applyBootstrap, type BootstrapDocument } from './sts/bootstrap.ts';
import { checkKeySecret } from './sts/keys/key-secret-rotation.ts';
import { createMandateVerifier } from './sts/mandate-verifier.ts';

export interface StartServerOptions {
  /** TCP port; 0 picks a free one. Default 4000. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** `postgres://…`; unset runs embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data folder when `databaseUrl` is unset; unset keeps data in memory. */
  dataDir?: string;
  /** Postgres schema of the tables, created when missing. Default `caracal`. */
  databaseSchema?: string;
  /**
   * Postgres connections this process keeps at most. Default 20. Statements queue in the process
   * beyond it; a few per Postgres core is usually enough (docs/configuration.md).
   */
  databasePoolSize?: number;
  /** `redis://…`; unset uses the in-process bus. */
  redisUrl?: string;
  /** Prefix of the Redis stream keys (several deployments or test runs on one Redis). */
  redisKeyPrefix?: string;
  /** Bearer token of the admin API. Unset disables the admin API. */
  adminToken?: string;
  /** Zones, applications and resources that must exist (applied idempotently). */
  bootstrap?: BootstrapDocument;
  /**
   * Public base URL: the mandate issuer and the metadata's base URL. Default: the listening URL,
   * with the loopback address in place of a wildcard host (`0.0.0.0`, `::`).
   */
  issuer?: string;
  limits?: Partial<SessionLimits>;
  /**
   * HMAC secret for event origin signatures; all replicas and every receiver share it. Required
   * on Postgres; the embedded database generates one when unset (docs/configuration.md).
   */
  eventSigningSecret?: string;
  /** Secret that encrypts signing keys at rest; all replicas share it. Required on Postgres, like the event secret. */
  keyEncryptionSecret?: string;
  /** The key secret being rotated away from: stored keys it opens are re-encrypted at start. */
  previousKeyEncryptionSecret?: string;
  /** Origins browsers may call from: `*` (default) or a list. */
  corsOrigins?: CorsOrigins;
  /** Blueprint directories, one folder per zone (docs/blueprints.md). Default `<cwd>/.agent-orchestrator/agents`. */
  agentsDir?: string;
  /** Run background jobs in this process (default true). */
  jobs?: boolean;
  /** Intervals and limits of the background jobs (outbox publisher, sweepers, retention). */
  jobSettings?: Partial<JobSettings>;
  /** Runs and runners: recovery mode at start, no-match and heartbeat timeouts (docs/runs.md). */
  runs?: Partial<RunSettings>;
  /** `false` silences logs; default logs warnings. */
  logger?: boolean | { level: string };
}

export interface RunningServer {
  /** A base URL that reaches the server from this machine, e.g. `http://127.0.0.1:4000`. */
  url: string;
  /** The issuer of its mandates: the public URL when set, else `url`. */
  issuer: string;
  port: number;
  /** What the server chose by itself (generated secrets, a derived issuer), one sentence each, for the operator. */
  notices: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts the Coordinator and STS in this process.
 * @example
 * const server = await startServer({ port: 0, bootstrap });
 * // … server.url …
 * await server.close();
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const secrets = await resolveServerSecrets({
    databaseUrl: options.databaseUrl === '' ? undefined : options.databaseUrl,
    dataDir: options.dataDir,
    keyEncryptionSecret: options.keyEncryptionSecret,
    eventSigningSecret: options.eventSigningSecret,
  });
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    schema: options.databaseSchema,
    maxConnections: options.databasePoolSize,
  });
  const notices = [...secrets.notices];
  try {
    notices.push(...(await keySecretNotices(database, secrets.keyEncryptionSecret, options.previousKeyEncryptionSecret)));
  } catch (error) {
    await database.close();
    throw error;
  }
  const bus = await openEventBus({ redisUrl: options.redisUrl, keyPrefix: options.redisKeyPrefix }).catch(
    async (error: unknown) => {
      await database.close();
      throw error;
    },
  );
  const host = options.host ?? '127.0.0.1';
  const config: ServerConfig = {
    issuer: options.issuer ?? '',
    adminToken: options.adminToken,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    eventSigningSecret: secrets.eventSigningSecret,
    keyEncryptionSecret: secrets.keyEncryptionSecret,
    previousKeyEncryptionSecret: options.previousKeyEncryptionSecret,
    jobs: options.jobs ?? true,
    jobSettings: options.jobSettings,
    maxMandateSeconds: 900,
    sessionMandateSeconds: 3600,
    runs: options.runs,
    agentsDir: options.agentsDir ?? defaultAgentsDir({ cwd: process.cwd() }),
  };
  const tokenVerifier = createMandateVerifier({ database, config, now: Date.now });
  const app = await buildApp(
    { database, bus, config, tokenVerifier, now: Date.now },
    { logger: options.logger, corsOrigins: options.corsOrigins ?? '*' },
  );
  const context: ServerContext = serverContextOf(app);
  let jobs: { stop(): Promise<void> } | undefined;
  try {
    // Before the feeds and the publisher run: the embedded bus gets back what it published last time.
    await restoreEmbeddedBus({ database, bus, signingSecret: config.eventSigningSecret, now: Date.now(), topics: FEED_TOPICS });
    // Before any runner can poll: runs the last process left under way go on as RUN_RECOVERY_MODE says.
    const recovered = await recoverRuns(database, { ...DEFAULT_RUN_SETTINGS, ...options.runs }, Date.now());
    if (recovered > 0) context.logger.info({ recovered }, 'runs recovered at start');
    await app.listen({ port: options.port ?? 4000, host });
    const address = app.server.address() as AddressInfo;
    const { url, issuer, notice } = listeningAddress(host, address.port, options.issuer);
    config.issuer = issuer;
    if (notice !== undefined) notices.push(notice);
    if (options.bootstrap !== undefined) await applyBootstrap(context, options.bootstrap);
    if (config.jobs) jobs = startJobs(context);
    let closing: Promise<void> | undefined;
    const running: RunningServer = {
      url,
      issuer,
      port: address.port,
      notices,
      close: () =>
        (closing ??= (async () => {
          // Stop accepting and finish in-flight requests (feeds end first), then flush the
          // publisher so what those requests enqueued is published before the bus closes.
          await app.close();
          await jobs?.stop();
          await bus.close();
          await database.close();
        })()),
    };
    attachServerContext(running, context);
    return running;
  } catch (error) {
    await jobs?.stop();
    await app.close();
    await bus.close();
    await database.close();
    throw error;
  }
}

/** Checks the key secret against the stored keys, re-encrypting those only the previous secret opens. */
async function keySecretNotices(database: Database, current: string, previous: string | undefined): Promise<string[]> {
  const { reencrypted, unreadable } = await checkKeySecret(database, { current, previous });
  if (unreadable.length > 0) {
    throw new ServerSettingsError(
      'invalid_setting',
      'CARACAL_KEY_SECRET',
      `CARACAL_KEY_SECRET does not open ${unreadable.length} stored signing key(s) (${unreadable.slice(0, 3).join(', ')})${previous === undefined ? '' : ', nor does CARACAL_PREVIOUS_KEY_SECRET'}: start with the secret they were stored under, or rotate by setting it as CARACAL_PREVIOUS_KEY_SECRET (docs/configuration.md)`,
    );
  }
  return reencrypted.length === 0 ? [] : [`re-encrypted ${reencrypted.length} signing key(s) under the current CARACAL_KEY_SECRET; CARACAL_PREVIOUS_KEY_SECRET may be removed once every replica runs with the new secret`];
}
