import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { DestinationStream } from 'pino';
import { defaultConsoleDir, loadConsoleAssets } from './console/console-assets.ts';
import { consoleRoutes } from './console/console-routes.ts';
import { coordinatorPlugin } from './coordinator/plugin.ts';
import { seedFeedSessions } from './coordinator/timeline/seed-feed-sessions.ts';
import { eventsPlugin } from './events/plugin.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { healthPlugin } from './http/health-plugin.ts';
import { appLogRedaction } from './http/log-redaction.ts';
import { metricsPlugin } from './http/metrics-plugin.ts';
import { recordRoutes } from './http/route-catalogue.ts';
import { installWireTextGuard } from './http/wire-text-guard.ts';
import { newId } from './ids.ts';
import { attachServerContext, type ServerContext } from './server-context.ts';
import { serverMetrics } from './server-metrics.ts';
import { STS_REDACT_PATHS } from './sts/http/log-redaction.ts';
import { stsPlugin } from './sts/plugin.ts';

export interface BuildAppOptions {
  /** Pino logger options or `false`; defaults to warnings only. Secrets are always redacted. */
  logger?: boolean | { level: string };
  /** Where log lines go (default stdout). */
  logStream?: DestinationStream;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Origins browsers may call from (CORS): `*` (the default) or a list of origins. */
  corsOrigins?: CorsOrigins;
  /** The built operator console to serve at /console (default: the one built with the packages). */
  consoleDir?: string;
}

/** `*` or exact origins such as `https://dashboard.example`. */
export type CorsOrigins = '*' | readonly string[];

/** Every method the API serves; the preflight answers with these. */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** What `buildApp` needs; the logger comes from the app itself. */
export type AppDependencies = Omit<ServerContext, 'logger'>;

/** Builds the Coordinator + STS app without listening (tests use `inject()`). */
export async function buildApp(dependencies: AppDependencies, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => newId('req'),
    // Strict validation: unknown fields and wrong types are refused, never coerced or dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
    routerOptions: { maxParamLength: 200 },
    // The router refuses over-long or badly encoded URLs before any handler runs; those answers
    // must still have the wire's error shape.
    frameworkErrors: (error, _request, reply) => {
      void (reply as FastifyReply)
        .status(error.statusCode ?? 400)
        .send({ error: 'invalid_request', error_description: error.message });
    },
  });
  recordRoutes(app);
  const context: ServerContext = { ...dependencies, logger: app.log };
  // Not a Fastify decoration: that would change `FastifyInstance` for every user of fastify types.
  attachServerContext(app, context);
  installErrorHandler(app);
  installWireTextGuard(app);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Bearer tokens, never cookies: `*` exposes nothing a page could not already send itself.
  await app.register(cors, {
    origin: corsOrigin(options.corsOrigins ?? '*'),
    methods: CORS_METHODS,
    exposedHeaders: ['x-request-id', 'www-authenticate', 'retry-after'],
  });
  await app.register(metricsPlugin, { metrics: serverMetrics(context) });
  await app.register(healthPlugin, { context });
  await app.register(stsPlugin, { context });
  await app.register(coordinatorPlugin, { context });
  await app.register(eventsPlugin, { context, sessions: seedFeedSessions(context.database) });
  await app.register(consoleRoutes, { assets: loadConsoleAssets(options.consoleDir ?? defaultConsoleDir()) });
  return app;
}

/** A list answers only the origins on it (echoed back); any other origin gets no CORS headers. */
function corsOrigin(origins: CorsOrigins): '*' | string[] {
  return origins === '*' ? '*' : [...origins];
}

/** The root logger's options: redaction lives here so no route, plugin or job can log around it. */
function loggerOptions(options: BuildAppOptions) {
  const logger = options.logger ?? { level: 'warn' };
  if (logger === false) return false;
  return {
    level: logger === true ? 'info' : logger.level,
    ...appLogRedaction(STS_REDACT_PATHS),
    ...(options.logStream === undefined ? {} : { stream: options.logStream }),
  };
}
