import { oauthError } from './oauth-error.ts';

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const MAX_SCOPE_LENGTH = 200;

/** True when `value` is a well-formed scope token. */
export function isScopeToken(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_SCOPE_LENGTH && SCOPE_TOKEN.test(value);
}

/**
 * Parses a space-delimited `scope` parameter. `undefined` (parameter absent) means "the default
 * set"; a present but empty value is a malformed request, as are characters outside scope-token.
 */
export function parseScopeParameter(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const tokens = value.split(' ').filter((token) => token !== '');
  if (tokens.length === 0) throw oauthError('invalid_scope', 'scope is empty');
  for (const token of tokens) {
    if (token.length > MAX_SCOPE_LENGTH || !SCOPE_TOKEN.test(token)) throw oauthError('invalid_scope', `scope ${JSON.stringify(token.slice(0, 40))} is not a valid scope token`);
  }
  return [...new Set(tokens)];
}

/** The members of `requested` missing from `allowed` (empty when it is a subset). */
export function missingScopes(requested: readonly string[], allowed: Iterable<string>): string[] {
  const allowedSet = allowed instanceof Set ? (allowed as Set<string>) : new Set(allowed);
  return requested.filter((scope) => !allowedSet.has(scope));
}

/** `a ∩ b`, keeping `a`'s order. */
export function intersectScopes(a: readonly string[], b: readonly string[]): string[] {
  const bSet = new Set(b);
  return a.filter((scope) => bSet.has(scope));
}
