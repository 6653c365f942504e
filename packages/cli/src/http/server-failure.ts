import type { ServerFailure } from '../errors.ts';

/**
 * Reads the wire error `{ error, error_description }` of a non-2xx answer. Proxies and crashed
 * servers answer with other bodies; those still yield a code (`http_<status>`) and a snippet.
 */
export function serverFailure(status: number, text: string, requestId: string | undefined): ServerFailure {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const error = typeof record.error === 'string' && record.error !== '' ? record.error : `http_${status}`;
  const description =
    typeof record.error_description === 'string' && record.error_description !== ''
      ? record.error_description
      : text.trim().slice(0, 200) || `the server answered HTTP ${status}`;
  return { status, error, description, requestId };
}
