import { Type, type Static } from 'typebox';
import { CLIENT_SECRET_MAX_LENGTH, SCOPES_MAX_ITEMS } from './limits.ts';
import { Name, ResourceId, Scope } from './primitives.ts';

/**
 * The bootstrap document: the zones, applications and resources that must exist when the server
 * starts, applied idempotently. `startServer({ bootstrap })` takes it and `caracal.config.json`
 * carries its `zones`, so both check it against this one schema. Unknown fields are refused: a
 * typo must fail loudly instead of silently creating nothing.
 */

/** Duplicates are tolerated (the server keeps each scope once); the count is bounded like every scope list. */
const DeclaredScopes = Type.Array(Scope, { maxItems: SCOPES_MAX_ITEMS });

export const BootstrapApplication = Type.Object(
  {
    /** The OAuth `client_id`; an application belongs to one zone. */
    id: Name,
    /** Hashed when stored; changing it here rotates it. */
    secret: Type.String({ minLength: 1, maxLength: CLIENT_SECRET_MAX_LENGTH }),
    scopes: Type.Optional(DeclaredScopes),
    /** May act on every session and edge of its zone, and mint `caracal:admin` mandates. */
    admin: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const BootstrapResource = Type.Object({ id: ResourceId, scopes: DeclaredScopes }, { additionalProperties: false });

export const BootstrapZone = Type.Object(
  {
    id: Name,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    applications: Type.Optional(Type.Array(BootstrapApplication)),
    resources: Type.Optional(Type.Array(BootstrapResource)),
  },
  { additionalProperties: false },
);

export const BootstrapDocument = Type.Object({ zones: Type.Array(BootstrapZone) }, { additionalProperties: false });

export type BootstrapApplication = Static<typeof BootstrapApplication>;
export type BootstrapResource = Static<typeof BootstrapResource>;
export type BootstrapZone = Static<typeof BootstrapZone>;
export type BootstrapDocument = Static<typeof BootstrapDocument>;
