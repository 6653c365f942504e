import { Type, type Static } from 'typebox';
import { AgentSessionId, Name } from '../primitives.ts';
import { SeedBody } from '../seed-body.ts';
import { delegationFields } from './delegation-schemas.ts';
import { spawnFields } from './session-schemas.ts';

/**
 * `/v1/begin`, `/v1/end` and `/v1/exchange` (docs/decisions/2026-12-04-v1-compatibility-routes.md,
 * docs/decisions/2026-12-04-seed-literal-bodies.md):
 * the short names for spawn, terminate and edge creation, with the same fields plus an optional
 * `zone_id` (the mandate's zone). `…Fields` is the strict shape the services take; `…Body`, the
 * route's schema, also takes `null` for every optional field, as early integrations send absent values
 * (seed-body.ts); the type is what the route hands on once nulls are read as absent.
 */

export const BeginFields = Type.Object({ zone_id: Type.Optional(Name), ...spawnFields }, { additionalProperties: false });
export const BeginBody = SeedBody(BeginFields);
export type BeginBody = Static<typeof BeginFields>;

export const EndFields = Type.Object({ zone_id: Type.Optional(Name), agent_session_id: AgentSessionId }, { additionalProperties: false });
export const EndBody = SeedBody(EndFields);
export type EndBody = Static<typeof EndFields>;

export const ExchangeFields = Type.Object({ zone_id: Type.Optional(Name), ...delegationFields }, { additionalProperties: false });
export const ExchangeBody = SeedBody(ExchangeFields);
export type ExchangeBody = Static<typeof ExchangeFields>;
