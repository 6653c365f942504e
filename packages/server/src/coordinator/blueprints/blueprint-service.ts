import { lstat } from 'node:fs/promises';
import type { Blueprint, BlueprintList, BlueprintParametersSchema, BlueprintStatus, CreateBlueprintBody, UpdateBlueprintBody } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import { conflict, forbidden, notFound } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { assertStorableFields } from '../shared/storable-json.ts';
import { defaultAgentsDir } from './agents-dir.ts';
import { assertAuthorityInZone, isEmptyAuthority } from './blueprint-authority.ts';
import { assertParametersSchema } from './blueprint-parameters.ts';
import { blueprintDir, zoneBlueprintsDir } from './blueprint-paths.ts';
import { listBlueprints } from './list-blueprints.ts';
import { readBlueprint } from './read-blueprint.ts';
import { createBlueprintDir, deleteBlueprintDir, rewriteBlueprintDir, setBlueprintDisabled } from './write-blueprint.ts';

/** Who acts, and on which blueprint name of their zone. */
export interface BlueprintTarget {
  principal: Principal;
  name: string;
}

const FREE_FORM_FIELDS = ['description', 'system_prompt', 'mcp_servers', 'skills', 'tags'] as const;

/** The agents dir this server reads and writes. */
export function agentsDirOf(context: ServerContext): string {
  return context.config.agentsDir ?? defaultAgentsDir({ cwd: process.cwd() });
}

/** Blueprints are the zone's: every application of it reads them; only an operator (`caracal:admin`) writes. */
function assertWriter(principal: Principal): void {
  if (!principal.admin) throw forbidden('only an operator mandate (caracal:admin) may change blueprints');
}

function directoryOf(context: ServerContext, target: BlueprintTarget): string {
  return blueprintDir(agentsDirOf(context), target.principal.zoneId, target.name);
}

export function listZoneBlueprints(context: ServerContext, principal: Principal, tags: readonly string[]): Promise<BlueprintList> {
  return listBlueprints(zoneBlueprintsDir(agentsDirOf(context), principal.zoneId), { tags });
}

/** The blueprint, or 404; a broken directory answers 409 with what is wrong with it. */
export async function requireBlueprint(context: ServerContext, target: BlueprintTarget): Promise<{ blueprint: Blueprint; agentFile: Record<string, unknown> }> {
  const directory = directoryOf(context, target);
  const info = await lstat(directory).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw notFound(`blueprint ${target.name} not found in zone ${target.principal.zoneId}`);
  const entry = await readBlueprint(directory, target.name);
  if (!entry.ok) throw conflict(`blueprint ${target.name} is broken on disk: ${entry.broken.error}`);
  return entry;
}

export async function createBlueprint(context: ServerContext, principal: Principal, body: CreateBlueprintBody): Promise<Blueprint> {
  assertWriter(principal);
  assertStorableFields(body, [...FREE_FORM_FIELDS]);
  const authority = body.authority == null || isEmptyAuthority(body.authority) ? undefined : body.authority;
  if (authority !== undefined) await assertAuthorityInZone(context.database, principal.zoneId, authority);
  const target = { principal, name: body.name };
  const directory = directoryOf(context, target);
  // rename() replaces an empty directory, so one that exists in any state is refused first.
  if ((await lstat(directory).catch(() => undefined)) !== undefined) throw conflict(`blueprint ${body.name} already exists`);
  const agent: Record<string, unknown> = {
    name: body.name,
    description: body.description ?? '',
    skills: body.skills ?? [],
    tags: body.tags ?? [],
    ...(authority === undefined ? {} : { authority }),
    ...(body.parameters_schema == null ? {} : { parameters_schema: assertParametersSchema(body.parameters_schema) }),
    created_at: new Date(context.now()).toISOString(),
  };
  await createBlueprintDir(directory, {
    agent,
    systemPrompt: emptyToUndefined(body.system_prompt),
    mcpServers: body.mcp_servers == null || Object.keys(body.mcp_servers).length === 0 ? undefined : body.mcp_servers,
  });
  return (await requireBlueprint(context, target)).blueprint;
}

/** PATCH: a field left out or null stays; an empty value clears it. */
export async function updateBlueprint(context: ServerContext, target: BlueprintTarget, body: UpdateBlueprintBody): Promise<Blueprint> {
  assertWriter(target.principal);
  assertStorableFields(body, [...FREE_FORM_FIELDS]);
  const { blueprint, agentFile } = await requireBlueprint(context, target);
  const agent: Record<string, unknown> = { ...agentFile, name: target.name };
  if (body.description != null) agent.description = body.description;
  if (body.skills != null) agent.skills = body.skills;
  if (body.tags != null) agent.tags = body.tags;
  if (body.authority != null) {
    if (isEmptyAuthority(body.authority)) delete agent.authority;
    else {
      const authority = body.authority as NonNullable<Blueprint['authority']>;
      await assertAuthorityInZone(context.database, target.principal.zoneId, authority);
      agent.authority = authority;
    }
  }
  if (body.parameters_schema != null) {
    if (Object.keys(body.parameters_schema).length === 0) delete agent.parameters_schema;
    else agent.parameters_schema = assertParametersSchema(body.parameters_schema as BlueprintParametersSchema);
  }
  const systemPrompt = body.system_prompt == null ? (blueprint.system_prompt ?? undefined) : emptyToUndefined(body.system_prompt);
  const mcpServers = body.mcp_servers == null ? (blueprint.mcp_servers ?? undefined) : Object.keys(body.mcp_servers).length === 0 ? undefined : body.mcp_servers;
  await vanishedIsNotFound(target, () => rewriteBlueprintDir(directoryOf(context, target), { agent, systemPrompt, mcpServers }));
  return (await requireBlueprint(context, target)).blueprint;
}

export async function setBlueprintStatus(context: ServerContext, target: BlueprintTarget, status: BlueprintStatus): Promise<Blueprint> {
  assertWriter(target.principal);
  await requireBlueprint(context, target);
  await vanishedIsNotFound(target, () => setBlueprintDisabled(directoryOf(context, target), status === 'inactive'));
  return (await requireBlueprint(context, target)).blueprint;
}

/** Deletes the directory, broken or not. */
export async function deleteBlueprint(context: ServerContext, target: BlueprintTarget): Promise<void> {
  assertWriter(target.principal);
  await deleteBlueprintDir(directoryOf(context, target));
}

function emptyToUndefined(value: string | null | undefined): string | undefined {
  return value == null || value === '' ? undefined : value;
}

/** A directory deleted (by another request or replica) between the read and the write is a 404. */
async function vanishedIsNotFound(target: BlueprintTarget, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`blueprint ${target.name} not found in zone ${target.principal.zoneId}`);
    throw error;
  }
}

