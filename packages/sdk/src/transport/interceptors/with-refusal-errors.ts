import { CaracalError } from '../../errors.ts';
import { readCaracalErrorBody, type CaracalErrorBody } from '../../http/caracal-error-body.ts';
import type { Interceptor } from '../dispatch.ts';

/** The statuses that mean "your mandate was refused": the reason matters more than the status. */
const REFUSALS: ReadonlyMap<number, 'UNAUTHORIZED' | 'FORBIDDEN'> = new Map([
  [401, 'UNAUTHORIZED'],
  [403, 'FORBIDDEN'],
]);

/** `Bearer error="invalid_token", error_description="…"` (RFC 6750 §3) → its two parameters. */
function fromChallenge(header: string | null): CaracalErrorBody {
  if (header === null) return {};
  const parameters = new Map<string, string>();
  for (const match of header.matchAll(/([A-Za-z_]+)="((?:[^"\\]|\\.)*)"/g)) parameters.set(match[1]!.toLowerCase(), match[2]!.replaceAll(/\\(.)/g, '$1'));
  return { code: parameters.get('error'), description: parameters.get('error_description') };
}

/**
 * Rejects a 401 or 403 with a typed `UNAUTHORIZED`/`FORBIDDEN` carrying the receiver's refusal
 * code and reason (from its JSON body or `WWW-Authenticate`), instead of returning the response:
 * a client SDK that sees only the status (a2a-js: "Failed to fetch Agent Card … 401") would lose
 * why the mandate was refused.
 * @internal
 */
export function withRefusalErrors(): Interceptor {
  return (next) => async (request) => {
    const response = await next(request);
    const code = REFUSALS.get(response.status);
    if (code === undefined) return response;
    const challenge = fromChallenge(response.headers.get('www-authenticate'));
    const body = await readCaracalErrorBody(response);
    const serverCode = body.code ?? challenge.code;
    const description = body.description ?? challenge.description;
    const requestId = response.headers.get('x-request-id') ?? undefined;
    let message = `${request.method} ${request.url} was refused with HTTP ${response.status}`;
    if (serverCode !== undefined) message += ` (${serverCode})`;
    if (description !== undefined) message += `: ${description}`;
    throw new CaracalError(code, `${message}.`, { status: response.status, serverCode, requestId });
  };
}
