import { BlueprintAuthority, BlueprintParametersSchema, Nullable, schemaChecker } from '@caracal/protocol';
import { Type, type Static } from 'typebox';

/**
 * `agent.json` as read from disk: the seed project's fields (name, description, skills, tags) plus
 * ours (authority, parameters_schema, created_at). Hand-written files may hold more; what is not listed is kept on
 * rewrite and ignored otherwise. Held to the wire's own schema for the authority.
 */
export const AgentFile = Type.Object(
  {
    name: Type.Optional(Type.String()),
    description: Type.Optional(Nullable(Type.String())),
    skills: Type.Optional(Nullable(Type.Array(Type.String()))),
    tags: Type.Optional(Nullable(Type.Array(Type.String()))),
    authority: Type.Optional(Nullable(BlueprintAuthority)),
    parameters_schema: Type.Optional(Nullable(BlueprintParametersSchema)),
    created_at: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type AgentFile = Static<typeof AgentFile>;

export const checkAgentFile = schemaChecker(AgentFile);

/** `agent.mcp.json`: `{ "mcpServers": { … } }`. */
export const McpFile = Type.Object({ mcpServers: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: true });
export type McpFile = Static<typeof McpFile>;

export const checkMcpFile = schemaChecker(McpFile);
