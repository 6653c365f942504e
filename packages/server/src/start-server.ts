import type { AddressInfo } from 'node:net';
import { buildApp } from './app.ts';
import { DEFAULT_LIMITS, type ServerConfig, type SessionLimits } from './config.ts';
import { openDatabase } from './db/open-database.ts';
import { restoreEmbeddedBus } from './events/embedded-bus-restore.ts';
import { openEventBus } from './events/open-event-bus.ts';
import { ALL_TOPICS } from './events/topics.ts';
import type { JobSettings } from './jobs/job-settings.ts';
import { startJobs } from './jobs/start-jobs.ts';
import { attachServerContext, serverContextOf, type ServerContext } from './server-context.ts';
import { applyBootstrap, type BootstrapDocument } from './sts/bootstrap.ts';
import { createMandateVerifier } from './sts/mandate-verifier.ts';

/** A development secret used only when none is configured; production sets its own. */
const DEVELOPMENT_SECRET = 'caracal-development-secret-change-me';

export interface StartServerOptions {
  /** TCP port; 0 picks a free one. Default 4000. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** `postgres://…`; unset runs embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data folder when `databaseUrl` is unset; unset keeps data in memory. */
  dataDir?: string;
  /** Postgres schema to use (lets tests share one database). */
  databaseSchema?: string;
  /** `redis://…`; unset uses the in-process bus. */
  redisUrl?: string;
  /** Prefix of the Redis stream keys (several deployments or test runs on one Redis). */
  redisKeyPrefix?: string;
  /** Bearer token of the admin API. Unset disables the admin API. */
  adminToken?: string;
  /** Zones, applications and resources that must exist (applied idempotently). */
  bootstrap?: BootstrapDocument;
  /** Public base URL used as the mandate issuer; defaults to the listening URL. */
  issuer?: string;
  limits?: Partial<SessionLimits>;
  /** HMAC secret for event origin signatures; all replicas must share it. */
  eventSigningSecret?: string;
  /** Secret that encrypts signing keys at rest; all replicas must share it. */
  keyEncryptionSecret?: string;
  /** Run background jobs in this process (default true). */
  jobs?: boolean;
  /** Intervals and limits of the background jobs (outbox publisher, sweepers, retention). */
  jobSettings?: Partial<JobSettings>;
  /** `false` silences logs; default logs warnings. */
  logger?: boolean | { level: string };
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  url: string;
  port: number;
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
  const database = await openDatabase({
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    schema: options.databaseSchema,
  });
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
    eventSigningSecret: options.eventSigningSecret ?? DEVELOPMENT_SECRET,
    keyEncryptionSecret: options.keyEncryptionSecret ?? DEVELOPMENT_SECRET,
    jobs: options.jobs ?? true,
    jobSettings: options.jobSettings,
    maxMandateSeconds: 900,
    sessionMandateSeconds: 3600,
  };
  const tokenVerifier = createMandateVerifier({ database, config, now: Date.now });
  const app = await buildApp(
    { database, bus, config, tokenVerifier, now: Date.now },
    { logger: options.logger },
  );
  const context: ServerContext = serverContextOf(app);
  let jobs: { stop(): Promise<void> } | undefined;
  try {
    // Before the feeds and the publisher run: the embedded bus gets back what it published last time.
    await restoreEmbeddedBus({ database, bus, signingSecret: config.eventSigningSecret, now: Date.now(), topics: ALL_TOPICS });
    await app.listen({ port: options.port ?? 4000, host });
    const address = app.server.address() as AddressInfo;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    if (config.issuer === '') config.issuer = url;
    if (options.bootstrap !== undefined) await applyBootstrap(context, options.bootstrap);
    if (config.jobs) jobs = startJobs(context);
    let closing: Promise<void> | undefined;
    const running: RunningServer = {
      url,
      port: address.port,
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
