import { Type, type Static } from 'typebox';
import { MAX_HOP, SCOPES_MAX_ITEMS } from '../limits.ts';
import type { MandateClaims } from '../mandate-claims.ts';
import { SCOPE_LIST_PATTERN } from '../patterns.ts';
import { Name, Scope } from '../primitives.ts';
import { SeedBody } from '../seed-body.ts';
import type { ServerErrorCode } from '../server-error-code.ts';

/** Longest mandate `/v1/verify` reads. */
export const VERIFY_TOKEN_MAX_LENGTH = 16_384;

/**
 * `POST /v1/verify`. Every field may be absent or null (early integrations send absent values as null:
 * docs/decisions/2026-12-04-seed-literal-bodies.md, seed-body.ts); the token may come as
 * `Authorization: Bearer` instead, and `required_scopes` as a list or one space-delimited
 * string. `zone_id` is the zone the caller expects: a mandate of another zone is not valid.
 */
export const VerifyFields = Type.Object(
  {
    token: Type.Optional(Type.String({ minLength: 1, maxLength: VERIFY_TOKEN_MAX_LENGTH })),
    /** The zone the caller expects: a mandate of another zone is not valid (`wrong_zone`). */
    zone_id: Type.Optional(Name),
    required_scopes: Type.Optional(Type.Union([Type.Array(Scope, { maxItems: SCOPES_MAX_ITEMS }), Type.String({ pattern: SCOPE_LIST_PATTERN })])),
    require_agent: Type.Optional(Type.Boolean()),
    require_delegation: Type.Optional(Type.Boolean()),
    max_hops: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_HOP })),
    audience: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export const VerifyBody = SeedBody(VerifyFields);
export type VerifyBody = Static<typeof VerifyFields>;

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
