import { Type, type Static } from 'typebox';

/** The longest a retired signing key keeps verifying: 30 days. */
export const KEY_GRACE_SECONDS_MAX = 30 * 24 * 3600;

/** `POST /admin/zones/{zoneId}/keys/rotate`. */
export const RotateKeysBody = Type.Object(
  { grace_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: KEY_GRACE_SECONDS_MAX })) },
  { additionalProperties: false },
);
export type RotateKeysBody = Static<typeof RotateKeysBody>;

/** The new key, and the retired one with the end of its grace (both null on a zone's first key). */
export const KeyRotation = Type.Object({
  zone_id: Type.String(),
  kid: Type.String(),
  retired_kid: Type.Union([Type.String(), Type.Null()]),
  retired_not_after: Type.Union([Type.String(), Type.Null()]),
});
export type KeyRotation = Static<typeof KeyRotation>;
