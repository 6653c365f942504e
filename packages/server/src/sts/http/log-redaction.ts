import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Log paths that could carry a secret; pino replaces them wherever an STS route logs. */
export const STS_REDACT_PATHS: readonly string[] = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'client_secret',
  '*.client_secret',
  'subject_token',
  '*.subject_token',
  'access_token',
  '*.access_token',
  'token',
  '*.token',
  'body',
  'req.body',
];

/**
 * Request loggers of the STS routes redact `STS_REDACT_PATHS`. One redacting child is built at
 * registration and each request's logger derives from it, so redaction costs nothing per request.
 */
export function installLogRedaction(app: FastifyInstance): void {
  const redacting = app.log.child({}, { redact: { paths: [...STS_REDACT_PATHS], censor: '[redacted]' } });
  app.setChildLoggerFactory((_logger, bindings, options) => redacting.child(bindings, options));
}

/** Request log serializer for STS routes: method and path only, never the query string or body. */
export const stsLogSerializers = {
  req: (request: FastifyRequest): Record<string, unknown> => ({
    method: request.method,
    url: request.url.split('?')[0],
    remoteAddress: request.ip,
  }),
};
