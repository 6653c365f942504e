import { Type, type Static } from 'typebox';
import { Name, Page } from '../primitives.ts';

/** A zone or application's display name (free text, unlike its id). */
export const DisplayName = Type.String({ minLength: 1, maxLength: 200 });

/** `POST /admin/zones`: both fields optional (a generated id, the name defaulting to the id). */
export const CreateZoneBody = Type.Object({ id: Type.Optional(Name), name: Type.Optional(DisplayName) }, { additionalProperties: false });
export type CreateZoneBody = Static<typeof CreateZoneBody>;

/** A zone as the admin API shows it. */
export const Zone = Type.Object({ id: Name, name: Type.String(), created_at: Type.String() });
export type Zone = Static<typeof Zone>;

export const ZonePage = Page(Zone);
export type ZonePage = Static<typeof ZonePage>;
