import { Type, type Static } from 'typebox';

/** Operator mandates live from a minute to a day; an hour when not asked. */
export const OPERATOR_TOKEN_SECONDS_MIN = 60;
export const OPERATOR_TOKEN_SECONDS_MAX = 24 * 3600;
export const OPERATOR_TOKEN_SECONDS_DEFAULT = 3600;

/** `POST /admin/zones/{zoneId}/operator-token` (answered with a TokenResponse). */
export const OperatorTokenBody = Type.Object(
  { ttl_seconds: Type.Optional(Type.Integer({ minimum: OPERATOR_TOKEN_SECONDS_MIN, maximum: OPERATOR_TOKEN_SECONDS_MAX })) },
  { additionalProperties: false },
);
export type OperatorTokenBody = Static<typeof OperatorTokenBody>;
