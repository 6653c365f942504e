import type { FastifyInstance } from 'fastify';
import { oauthError } from './oauth-error.ts';

/** A parsed `application/x-www-form-urlencoded` body: every value of every field, in order. */
export type FormBody = ReadonlyMap<string, readonly string[]>;

const FORM_BODY_LIMIT = 64 * 1024;

/**
 * Registers a small form parser on `app` (encapsulated: only the STS routes see it). Values are
 * kept as lists so a repeated parameter can be refused, as RFC 6749 §3.2 requires.
 */
export function registerFormParser(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => {
      const fields = new Map<string, string[]>();
      for (const [name, value] of new URLSearchParams(body as string)) {
        const values = fields.get(name);
        if (values === undefined) fields.set(name, [value]);
        else values.push(value);
      }
      done(null, fields);
    },
  );
}

/** The body as a form, or an invalid_request refusal when the request was not form-encoded. */
export function requireForm(body: unknown): FormBody {
  if (!(body instanceof Map)) {
    throw oauthError('invalid_request', 'the token endpoint takes an application/x-www-form-urlencoded body');
  }
  return body as FormBody;
}

/** One optional parameter; empty values count as absent (RFC 6749 §3.1), repeats are refused. */
export function optionalParameter(form: FormBody, name: string): string | undefined {
  const values = form.get(name);
  if (values === undefined) return undefined;
  if (values.length > 1) throw oauthError('invalid_request', `parameter ${name} is repeated`);
  return values[0] === '' ? undefined : values[0];
}

/** One required parameter. */
export function requiredParameter(form: FormBody, name: string): string {
  const value = optionalParameter(form, name);
  if (value === undefined) throw oauthError('invalid_request', `parameter ${name} is required`);
  return value;
}
