import { RESOURCE_MAX_LENGTH, SCOPE_MAX_LENGTH, TokenRequestForm } from '@caracal/protocol';
import type { FastifyInstance, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import type { ServerError } from '../../http/server-error.ts';
import { oauthError } from './oauth-error.ts';

const FORM_BODY_LIMIT = 64 * 1024;

/** Bodies this parser made: only they are forms (a JSON object with the same fields is not). */
const parsedForms = new WeakSet<object>();

/**
 * Registers a small form parser on `app` (encapsulated: only the STS routes see it). A field
 * becomes one string, or a list when repeated, so that `refuseRepeatedFields` can refuse it as
 * RFC 6749 §3.2 requires; empty values are dropped, as if omitted (§3.1).
 */
export function registerFormParser(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => {
      // No prototype: a field named `__proto__` is just a field.
      const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
      for (const [name, value] of new URLSearchParams(body as string)) {
        if (value === '') continue;
        const previous = fields[name];
        fields[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
      }
      parsedForms.add(fields);
      done(null, fields);
    },
  );
}

/**
 * preValidation of the token endpoint: the body must be a form, and no field the endpoint reads
 * may be repeated (unknown ones are ignored, RFC 6749 §3.2). A second resource is a distinct
 * refusal: a per-call mandate names one audience (RFC 8707 §2).
 */
export async function refuseRepeatedFields(request: FastifyRequest): Promise<void> {
  const { body } = request;
  if (typeof body !== 'object' || body === null || !parsedForms.has(body)) {
    throw oauthError('invalid_request', 'the token endpoint takes an application/x-www-form-urlencoded body');
  }
  for (const [name, value] of Object.entries(body)) {
    if (!Array.isArray(value) || !Object.hasOwn(TokenRequestForm.properties, name)) continue;
    if (name === 'resource') throw oauthError('invalid_target', 'a per-call mandate is bound to exactly one resource');
    throw oauthError('invalid_request', `parameter ${name} is repeated`);
  }
}

/**
 * The token endpoint's answer to a form its schema refuses, with the OAuth code of the field:
 * a malformed scope is invalid_scope, a malformed resource invalid_target (RFC 8707 §2).
 */
export function tokenFormRefusal(errors: FastifySchemaValidationError[]): ServerError {
  const [first] = errors;
  const missing = first?.keyword === 'required' ? String(first.params.missingProperty) : undefined;
  if (missing !== undefined) return oauthError('invalid_request', `parameter ${missing} is required`);
  const field = first?.instancePath.split('/')[1] ?? 'body';
  if (field === 'scope') return oauthError('invalid_scope', `scope must be space-delimited scope tokens (RFC 6749 §3.3) of at most ${SCOPE_MAX_LENGTH} characters each`);
  if (field === 'resource') return oauthError('invalid_target', `resource must be an absolute URI without a fragment, at most ${RESOURCE_MAX_LENGTH} characters`);
  return oauthError('invalid_request', `parameter ${field} is malformed or not supported`);
}

/** A field the grant cannot do without. */
export function requiredField<Field extends keyof TokenRequestForm>(form: TokenRequestForm, name: Field): NonNullable<TokenRequestForm[Field]> {
  const value = form[name];
  if (value === undefined || value === null) throw oauthError('invalid_request', `parameter ${name} is required`);
  return value;
}
