import { oauthError } from './oauth-error.ts';

/** The tokens of a space-delimited scope list (its shape already checked by a schema), each once. */
export function splitScopeList(value: string): string[] {
  return [...new Set(value.split(' ').filter((token) => token !== ''))];
}

/**
 * Reads the token endpoint's `scope` parameter. `undefined` (parameter absent) means "the
 * default set"; a present value of spaces only is a malformed request.
 */
export function parseScopeParameter(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const tokens = splitScopeList(value);
  if (tokens.length === 0) throw oauthError('invalid_scope', 'scope is empty');
  return tokens;
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
