import { Type, type Static } from 'typebox';
import { MAX_HOP, SCOPES_MAX_ITEMS } from '../limits.ts';
import type { MandateClaims } from '../mandate-claims.ts';
import { SCOPE_LIST_PATTERN } from '../patterns.ts';
import { Name, Scope } from '../primitives.ts';
import type { ServerErrorCode } from '../server-error-code.ts';

/** Longest mandate `/v1/verify` reads. */
export const VERIFY_TOKEN_MAX_LENGTH = 16_384;

const orNull = <Schema extends Parameters<typeof Type.Optional>[0]>(schema: Schema) => Type.Optional(Type.Union([schema, Type.Null()]));

/**
 * `POST /v1/verify`. Every field may be absent or null (early integrations send literal bodies
 * with nulls: docs/decisions/2026-12-04-v1-compatibility-routes.md); the token may come as
 * `Authorization: Bearer` instead, and
 * `required_scopes` as a list or one space-delimited string.
 */
export const VerifyBody = Type.Object(
  {
    token: orNull(Type.String({ minLength: 1, maxLength: VERIFY_TOKEN_MAX_LENGTH })),
    required_scopes: orNull(Type.Union([Type.Array(Scope, { maxItems: SCOPES_MAX_ITEMS }), Type.String({ pattern: SCOPE_LIST_PATTERN })])),
    require_agent: orNull(Type.Boolean()),
    require_delegation: orNull(Type.Boolean()),
    max_hops: orNull(Type.Integer({ minimum: 0, maximum: MAX_HOP })),
    audience: orNull(Type.String({ minLength: 1 })),
    /** The zone the caller expects: a mandate of another zone is not valid (`wrong_zone`). */
    zone_id: orNull(Name),
  },
  { additionalProperties: false },
);
export type VerifyBody = Static<typeof VerifyBody>;

/**
 * The answer, always 200 once the request is well-formed: the verified claims, or why the
 * mandate is not valid (`error` a code such as `revoked` or `insufficient_scope`).
 */
export const VerifyResponse = Type.Union([
  // The claims go out whole, whatever extensions a mandate carries.
  Type.Object({ valid: Type.Literal(true), claims: Type.Unsafe<MandateClaims>(Type.Object({}, { additionalProperties: true })) }),
  Type.Object({ valid: Type.Literal(false), error: Type.Unsafe<ServerErrorCode>(Type.String()), message: Type.String() }),
]);
export type VerifyResponse = Static<typeof VerifyResponse>;
