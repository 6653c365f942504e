import { Type, type Static } from 'typebox';
import { Page, ResourceId, Scopes } from '../primitives.ts';

/**
 * `POST /admin/zones/{zoneId}/resources`: the identifier, given once as `identifier` or as `id`
 * (the bootstrap document's name for it), and the scopes the resource accepts.
 */
export const CreateResourceBody = Type.Object(
  { identifier: Type.Optional(ResourceId), id: Type.Optional(ResourceId), scopes: Scopes },
  { additionalProperties: false },
);
export type CreateResourceBody = Static<typeof CreateResourceBody>;

/** A resource (RFC 8707 target) and the scopes it accepts. */
export const Resource = Type.Object({
  identifier: Type.String(),
  zone_id: Type.String(),
  scopes: Type.Array(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type Resource = Static<typeof Resource>;

export const ResourcePage = Page(Resource);
export type ResourcePage = Static<typeof ResourcePage>;
