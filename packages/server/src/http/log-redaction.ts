import type { FastifyRequest } from 'fastify';

/**
 * Names whose values are secrets wherever they appear: as a logged field, a header, or a query
 * parameter. The one list the app's logger and request serializer redact by.
 */
export const SECRET_FIELD_NAMES: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'client_secret',
  'client_assertion',
  'subject_token',
  'actor_token',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'secret',
  'password',
  'admin_token',
  'adminToken',
  'signingSecret',
  'eventSigningSecret',
  'keyEncryptionSecret',
  'private_key',
  'privateKey',
];

/**
 * Fields of a log line that carry request data or settings; secret names are redacted under them.
 * Pino checks a path only on lines that have its first field, so these cost nothing elsewhere —
 * unlike a leading `*`, which inspects every field of every line (≈0.7 µs a line per path; the
 * STS's four are all the app pays). `req` and `res` are on every request line and are handled by
 * the serializers below instead.
 */
const CONTAINERS: readonly string[] = ['headers', 'form', 'query', 'params', 'config'];

const CENSOR = '[redacted]';

function member(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`;
}

/**
 * Every path the app's logger redacts: each secret name at the top of a line and under the
 * containers, and the paths the app's parts name (the STS's include `*.client_secret`,
 * `*.access_token`, …); the app passes those in, so this layer knows none of its parts.
 */
export function appRedactPaths(partPaths: readonly string[]): readonly string[] {
  return [
    ...new Set([
      ...SECRET_FIELD_NAMES.flatMap((name) => [
        member(name).replace(/^\./, ''),
        ...CONTAINERS.map((container) => `${container}${member(name)}`),
      ]),
      ...partPaths,
    ]),
  ];
}

const secretNames = new Set(SECRET_FIELD_NAMES.map((name) => name.toLowerCase()));

/** `name=` of a secret name anywhere in a decoded value, as a nested or mistyped query would carry it. */
const NESTED_SECRET = new RegExp(`(?:^|[^A-Za-z0-9_-])(?:${SECRET_FIELD_NAMES.map((name) => name.replace(/[^A-Za-z0-9_]/g, '\\$&')).join('|')})\\s*(?:\\[[^\\]]*\\])?\\s*=`, 'i');

function decodeQueryPart(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** A parameter name as a lenient parser might read it: trimmed, without a trailing `[...]`. */
function isSecretName(name: string): boolean {
  return secretNames.has(name.trim().replace(/\[[^\]]*\]$/, '').trim().toLowerCase());
}

/**
 * A URL as it may be logged: secret query parameters keep their name, lose their value. (Live
 * feeds take `?access_token=` because browsers' EventSource cannot send headers, and the request
 * line is logged for every request.) Conservative on purpose, since a client's mistake must not
 * put a token in the logs either: parameters are split at `&`, `;` and any further `?` (so
 * `?topics=x?access_token=…` loses the token), a value that decodes (once or twice) to another
 * `secret=` is censored whole, and a part that does not decode is dropped.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  // Odd indexes are the separators, kept as they were.
  const pieces = url.slice(queryStart + 1).split(/([&;?])/);
  const kept = pieces.map((part, index) => {
    if (index % 2 === 1 || part === '') return part;
    const equals = part.indexOf('=');
    const rawName = equals === -1 ? part : part.slice(0, equals);
    const name = decodeQueryPart(rawName);
    const value = equals === -1 ? '' : decodeQueryPart(part.slice(equals + 1));
    // Undecodable: nothing can be said about it, so nothing of it is kept.
    if (name === undefined || value === undefined) return CENSOR;
    if (isSecretName(name)) return `${rawName}=${CENSOR}`;
    if (NESTED_SECRET.test(value) || NESTED_SECRET.test(decodeQueryPart(value) ?? '')) return `${rawName}=${CENSOR}`;
    return part;
  });
  return `${url.slice(0, queryStart)}?${kept.join('')}`;
}

/** A shallow copy of `record` with the values of secret names censored. */
function redactNames(record: unknown): unknown {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) copy[name] = secretNames.has(name.toLowerCase()) ? CENSOR : value;
  return copy;
}

/**
 * `req` of a log line. Fastify's own lines pass the request: kept to Fastify's default fields,
 * with the URL's secrets removed. Anything else logged as `req` has its headers and query
 * redacted. A serializer must never throw — the log call would fail the request.
 */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  if (typeof request !== 'object' || request === null) return request;
  const { url } = request as { url?: unknown };
  if (typeof url === 'string' && 'ip' in request) {
    const { method, host, ip, socket } = request;
    return { method, url: redactUrl(url), host, remoteAddress: ip, remotePort: socket?.remotePort };
  }
  const other = request as unknown as Record<string, unknown>;
  return {
    ...other,
    ...(typeof url === 'string' ? { url: redactUrl(url) } : {}),
    ...('headers' in other ? { headers: redactNames(other.headers) } : {}),
    ...('query' in other ? { query: redactNames(other.query) } : {}),
  };
}

/** `res` of a log line: of Fastify's reply, the status code (as Fastify logs it); anything else has its headers redacted. */
function serializeResponse(response: { statusCode?: unknown; headers?: unknown }): Record<string, unknown> {
  if (typeof response !== 'object' || response === null) return response;
  if (typeof response.headers === 'function') return { statusCode: response.statusCode };
  return 'headers' in response ? { ...response, headers: redactNames(response.headers) } : response;
}

/** Pino options of the app's root logger: every line of every route, plugin and job passes through them. */
export function appLogRedaction(partPaths: readonly string[]): {
  redact: { paths: string[]; censor: string };
  serializers: { req: typeof serializeRequest; res: typeof serializeResponse };
} {
  return {
    redact: { paths: [...appRedactPaths(partPaths)], censor: CENSOR },
    serializers: { req: serializeRequest, res: serializeResponse },
  };
}
