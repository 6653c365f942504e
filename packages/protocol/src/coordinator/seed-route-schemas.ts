import { Type, type Static } from 'typebox';
import { AgentSessionId, Name } from '../primitives.ts';
import { delegationFields } from './delegation-schemas.ts';
import { spawnFields } from './session-schemas.ts';

/**
 * `/v1/begin`, `/v1/end` and `/v1/exchange` (docs/decisions/2026-12-04-v1-compatibility-routes.md):
 * the short names for spawn, terminate and edge
 * creation, with the same fields plus an optional `zone_id` (the mandate's zone).
 */

export const BeginBody = Type.Object({ zone_id: Type.Optional(Name), ...spawnFields }, { additionalProperties: false });
export type BeginBody = Static<typeof BeginBody>;

export const EndBody = Type.Object({ zone_id: Type.Optional(Name), agent_session_id: AgentSessionId }, { additionalProperties: false });
export type EndBody = Static<typeof EndBody>;

export const ExchangeBody = Type.Object({ zone_id: Type.Optional(Name), ...delegationFields }, { additionalProperties: false });
export type ExchangeBody = Static<typeof ExchangeBody>;
