import { Type, type Static, type TOptional, type TProperties } from 'typebox';
import {
  BUDGET_MAX,
  CAPABILITIES_MAX_ITEMS,
  CAPABILITY_MAX_LENGTH,
  LABEL_KEY_MAX_LENGTH,
  LABEL_VALUE_MAX_LENGTH,
  LABELS_MAX_PROPERTIES,
  MAX_HOP,
  METADATA_MAX_PROPERTIES,
  RESOURCE_MAX_LENGTH,
  SCOPES_MAX_ITEMS,
  TTL_SECONDS_MAX,
} from './limits.ts';
import { idPatterns, NAME_PATTERN, RESOURCE_PATTERN, SCOPE_PATTERN } from './patterns.ts';

/**
 * The building blocks every body schema is made of. Ids are checked by shape, so bad input is a
 * 400 before any SQL runs.
 */

export const AgentSessionId = Type.String({ pattern: idPatterns.agentSession });
export const DelegationEdgeId = Type.String({ pattern: idPatterns.delegationEdge });
export const InvocationId = Type.String({ pattern: idPatterns.invocation });
export const ServiceAgentId = Type.String({ pattern: idPatterns.serviceAgent });

/** A zone or application id. */
export const Name = Type.String({ pattern: NAME_PATTERN });

export const Scope = Type.String({ pattern: SCOPE_PATTERN });
export const Scopes = Type.Array(Scope, { maxItems: SCOPES_MAX_ITEMS, uniqueItems: true });

export const ResourceId = Type.String({ pattern: RESOURCE_PATTERN, maxLength: RESOURCE_MAX_LENGTH });

export const Timestamp = Type.String({ format: 'date-time', maxLength: 40 });

/** Seconds from now; a year at most. */
export const Seconds = Type.Integer({ minimum: 1, maximum: TTL_SECONDS_MAX });

const LabelValue = Type.String({ maxLength: LABEL_VALUE_MAX_LENGTH });

/**
 * A record's keys match `^.*$`, which no key with a line break does: `propertyNames` and
 * `additionalProperties` hold every key and value to the limits all the same.
 */
export const Labels = Type.Record(Type.String(), LabelValue, {
  maxProperties: LABELS_MAX_PROPERTIES,
  propertyNames: { maxLength: LABEL_KEY_MAX_LENGTH },
  additionalProperties: LabelValue,
});

export const Metadata = Type.Record(Type.String(), Type.Unknown(), { maxProperties: METADATA_MAX_PROPERTIES });

export const Capabilities = Type.Array(Type.String({ minLength: 1, maxLength: CAPABILITY_MAX_LENGTH }), {
  maxItems: CAPABILITIES_MAX_ITEMS,
});

/** Delegation caveats (`constraints`, or its alias `constraints_json`). */
export const Constraints = Type.Object(
  {
    ttl_seconds: Type.Optional(Seconds),
    max_hops: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HOP })),
    budget: Type.Optional(Type.Integer({ minimum: 0, maximum: BUDGET_MAX })),
    policy_approved: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Constraints = Static<typeof Constraints>;

/** Query strings arrive as text (types are never coerced), so `limit` is digits checked later. */
export const PageQuery = {
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' })),
};

/** Action routes (suspend, resume, revoke, start…) take no fields: `{}` or no body at all. */
export const EmptyBody = Type.Object({}, { additionalProperties: false });

/** A list route's query: its filters, each optional, then the page fields; nothing else is accepted. */
export function ListQuery<Filters extends TProperties>(filters: Filters) {
  const optional = Object.fromEntries(Object.entries(filters).map(([key, schema]) => [key, Type.Optional(schema)]));
  return Type.Object({ ...(optional as { [Key in keyof Filters]: TOptional<Filters[Key]> }), ...PageQuery }, { additionalProperties: false });
}

/** Every error answer: `{ error, error_description }`. */
export const ErrorBody = Type.Object({ error: Type.String(), error_description: Type.String() });
export type ErrorBody = Static<typeof ErrorBody>;

/** A page of a list: `{ items, next_cursor }`; `next_cursor` is null on the last page. */
export interface Page<Item> {
  items: Item[];
  next_cursor: string | null;
}

/** The schema of a page of `item`s. */
export function Page<Item extends Parameters<typeof Type.Array>[0]>(item: Item) {
  return Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });
}
