import { Type, type Static } from 'typebox';
import {
  BLUEPRINT_DESCRIPTION_MAX_LENGTH,
  BLUEPRINT_LIST_MAX_ITEMS,
  BLUEPRINT_MCP_SERVERS_MAX,
  BLUEPRINT_NAME_MAX_LENGTH,
  BLUEPRINT_PARAMETERS_SCHEMA_MAX_PROPERTIES,
  BLUEPRINT_RESOURCES_MAX,
  BLUEPRINT_SYSTEM_PROMPT_MAX_LENGTH,
  SCOPES_MAX_ITEMS,
} from '../limits.ts';
import { BLUEPRINT_NAME_PATTERN, BLUEPRINT_SKILL_PATTERN, BLUEPRINT_TAG_PATTERN } from '../patterns.ts';
import { Constraints, ResourceId, Scope, Timestamp } from '../primitives.ts';
import { Nullable, StringEnum } from './schema-helpers.ts';

/**
 * Agent blueprints (`/agents…`): what an agent is (description, system prompt, MCP servers,
 * skills, tags) and the authority its sessions get. docs/blueprints.md describes the routes.
 */

export const BlueprintName = Type.String({ pattern: BLUEPRINT_NAME_PATTERN, maxLength: BLUEPRINT_NAME_MAX_LENGTH });

/** `/agents/{name}` and `/agents/{name}/status`. */
export const BlueprintParams = Type.Object({ name: BlueprintName }, { additionalProperties: false });
export type BlueprintParams = Static<typeof BlueprintParams>;

export const BlueprintStatus = StringEnum(['active', 'inactive']);
export type BlueprintStatus = Static<typeof BlueprintStatus>;

const Skill = Type.String({ pattern: BLUEPRINT_SKILL_PATTERN });
const Tag = Type.String({ pattern: BLUEPRINT_TAG_PATTERN });
const Skills = Type.Array(Skill, { maxItems: BLUEPRINT_LIST_MAX_ITEMS, uniqueItems: true });
const Tags = Type.Array(Tag, { maxItems: BLUEPRINT_LIST_MAX_ITEMS, uniqueItems: true });
const Description = Type.String({ maxLength: BLUEPRINT_DESCRIPTION_MAX_LENGTH });
const SystemPrompt = Type.String({ maxLength: BLUEPRINT_SYSTEM_PROMPT_MAX_LENGTH });

/** `agent.mcp.json`'s `mcpServers`: server name → its launch or connection settings, kept as given. */
export const McpServers = Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.Record(Type.String(), Type.Unknown()), {
  maxProperties: BLUEPRINT_MCP_SERVERS_MAX,
});
export type McpServers = Static<typeof McpServers>;

/** One resource a blueprint's agents may reach, and the scopes they may use on it. */
export const BlueprintResource = Type.Object(
  {
    resource_id: ResourceId,
    scopes: Type.Array(Scope, { minItems: 1, maxItems: SCOPES_MAX_ITEMS, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type BlueprintResource = Static<typeof BlueprintResource>;

/**
 * What agents made from a blueprint may do: resources (registered in the zone) with their scopes,
 * optionally caveats. A session spawned from the blueprint is narrowed to it.
 */
export const BlueprintAuthority = Type.Object(
  {
    resources: Type.Array(BlueprintResource, { maxItems: BLUEPRINT_RESOURCES_MAX }),
    constraints: Type.Optional(Constraints),
  },
  { additionalProperties: false },
);
export type BlueprintAuthority = Static<typeof BlueprintAuthority>;

/**
 * What a run of the blueprint must carry in its `parameters`: a JSON Schema for an object (its
 * `type` is `"object"`), checked by the server on `POST /runs`. Without one a run needs a `prompt`.
 */
export const BlueprintParametersSchema = Type.Object(
  { type: Type.Literal('object') },
  { additionalProperties: true, maxProperties: BLUEPRINT_PARAMETERS_SCHEMA_MAX_PROPERTIES },
);
export type BlueprintParametersSchema = Static<typeof BlueprintParametersSchema>;

/** A blueprint as the routes show it. */
export const Blueprint = Type.Object({
  name: Type.String(),
  description: Type.String(),
  system_prompt: Nullable(Type.String()),
  mcp_servers: Nullable(Type.Record(Type.String(), Type.Unknown())),
  skills: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  status: BlueprintStatus,
  created_at: Timestamp,
  modified_at: Timestamp,
  authority: Nullable(BlueprintAuthority),
  parameters_schema: Nullable(BlueprintParametersSchema),
});
export type Blueprint = Static<typeof Blueprint>;

/** A blueprint directory that could not be read: listed apart, never fatal to the list. */
export const BrokenBlueprint = Type.Object({ name: Type.String(), error: Type.String() });
export type BrokenBlueprint = Static<typeof BrokenBlueprint>;

/** `GET /agents`: the readable blueprints by name, and the broken directories. */
export const BlueprintList = Type.Object({ agents: Type.Array(Blueprint), broken: Type.Array(BrokenBlueprint) });
export type BlueprintList = Static<typeof BlueprintList>;

/** `GET /agents?tags=a,b`: blueprints carrying every tag named. */
export const ListBlueprintsQuery = Type.Object(
  { tags: Type.Optional(Type.String({ maxLength: 4096 })) },
  { additionalProperties: false },
);
export type ListBlueprintsQuery = Static<typeof ListBlueprintsQuery>;

/** `POST /agents`. */
export const CreateBlueprintBody = Type.Object(
  {
    name: BlueprintName,
    description: Type.Optional(Description),
    system_prompt: Type.Optional(Nullable(SystemPrompt)),
    mcp_servers: Type.Optional(Nullable(McpServers)),
    skills: Type.Optional(Nullable(Skills)),
    tags: Type.Optional(Nullable(Tags)),
    authority: Type.Optional(Nullable(BlueprintAuthority)),
    parameters_schema: Type.Optional(Nullable(BlueprintParametersSchema)),
  },
  { additionalProperties: false },
);
export type CreateBlueprintBody = Static<typeof CreateBlueprintBody>;

/**
 * `PATCH /agents/{name}`: a field left out or null stays as it is; an empty value (`""`, `[]`,
 * `{}`) clears it.
 */
export const UpdateBlueprintBody = Type.Object(
  {
    description: Type.Optional(Nullable(Description)),
    system_prompt: Type.Optional(Nullable(SystemPrompt)),
    mcp_servers: Type.Optional(Nullable(McpServers)),
    skills: Type.Optional(Nullable(Skills)),
    tags: Type.Optional(Nullable(Tags)),
    authority: Type.Optional(Nullable(Type.Union([BlueprintAuthority, Type.Object({}, { additionalProperties: false })]))),
    parameters_schema: Type.Optional(Nullable(Type.Union([BlueprintParametersSchema, Type.Object({}, { additionalProperties: false })]))),
  },
  { additionalProperties: false },
);
export type UpdateBlueprintBody = Static<typeof UpdateBlueprintBody>;

/** `PATCH /agents/{name}/status`. */
export const BlueprintStatusBody = Type.Object({ status: BlueprintStatus }, { additionalProperties: false });
export type BlueprintStatusBody = Static<typeof BlueprintStatusBody>;
