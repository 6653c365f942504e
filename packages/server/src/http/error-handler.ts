import type { ServerErrorCode } from '@caracal/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ServerError } from './server-error.ts';

/** Fastify's own 4xx codes, mapped to the wire's error codes. */
const FASTIFY_CODES: Record<string, ServerErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_VALIDATION: 'invalid_request',
};

/**
 * Every answer that is not a success is `{ error, error_description }`. Client mistakes keep
 * their 4xx; anything unexpected is logged with the request id and answered without internals.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ServerError, request, reply) => {
    const answer = (status: number, code: ServerErrorCode, description: string) => reply.status(status).send({ error: code, error_description: description });
    if (error instanceof ServerError) {
      if (error.headers !== undefined) void reply.headers(error.headers);
      return answer(error.statusCode, error.code, error.message);
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (error.validation !== undefined || (status >= 400 && status < 500)) {
      const code: ServerErrorCode = FASTIFY_CODES[error.code] ?? (status === 429 ? 'rate_limited' : 'invalid_request');
      return answer(status, code, describe(error));
    }
    if (isUnstorableText(error)) {
      // The wire-text guard refuses such input first; this is the backstop for a path it cannot see.
      request.log.warn({ err: error }, 'text Postgres cannot store reached the database');
      return answer(400, 'invalid_request', 'text must be well-formed Unicode without NUL (U+0000)');
    }
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, 'backend unavailable');
      void reply.header('retry-after', '1');
      return answer(503, 'temporarily_unavailable', 'a backend is unavailable; retry shortly');
    }
    request.log.error({ err: error }, 'unhandled error');
    return answer(500, 'server_error', `internal error (request ${request.id})`);
  });

  app.setNotFoundHandler((request, reply) => {
    const code: ServerErrorCode = 'not_found';
    return reply.status(404).send({ error: code, error_description: `no route for ${request.method} ${request.url.split('?')[0]}` });
  });
}

function describe(error: FastifyError): string {
  if (error.validation !== undefined && error.validation.length > 0) {
    const first = error.validation[0]!;
    const where = first.instancePath === '' ? (error.validationContext ?? 'request') : `${error.validationContext ?? ''}${first.instancePath}`;
    const extra =
      first.keyword === 'additionalProperties'
        ? ` (unknown field ${String((first.params as { additionalProperty?: string }).additionalProperty)})`
        : '';
    return `${where} ${first.message ?? 'is invalid'}${extra}`;
  }
  return error.message;
}

/** Postgres refusing a value it cannot store: NUL in `text` (22021) or `\u0000` in `jsonb` (22P05). */
function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '22021' || code === '22P05';
}

/** Connection-level failures of Postgres or Redis: the caller should retry, nothing was applied. */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08003', '08001'].includes(code) ||
      code.startsWith('53'))
  );
}
