import { Type, type Static } from 'typebox';
import { Name, Page, Scopes } from '../primitives.ts';
import { DisplayName } from './zone.ts';

/** `POST /admin/zones/{zoneId}/applications`: every field optional. */
export const CreateApplicationBody = Type.Object(
  { id: Type.Optional(Name), name: Type.Optional(DisplayName), scopes: Type.Optional(Scopes), admin: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type CreateApplicationBody = Static<typeof CreateApplicationBody>;

/** An application (OAuth client) as the admin API shows it; never its secret or its hash. */
export const Application = Type.Object({
  id: Type.String(),
  client_id: Type.String(),
  zone_id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  admin: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type Application = Static<typeof Application>;

export const ApplicationPage = Page(Application);
export type ApplicationPage = Static<typeof ApplicationPage>;

/** The answer to creating an application: the one time its secret is shown. */
export const CreatedApplication = Type.Object({ ...Application.properties, client_secret: Type.String() });
export type CreatedApplication = Static<typeof CreatedApplication>;
