import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Blueprint, BrokenBlueprint } from '@caracal/protocol';
import { checkAgentFile, checkMcpFile } from './agent-file.ts';
import { BLUEPRINT_FILES } from './blueprint-paths.ts';

/** A blueprint directory as read: the blueprint, or why it could not be read. */
export type BlueprintEntry = { ok: true; blueprint: Blueprint; agentFile: Record<string, unknown> } | { ok: false; broken: BrokenBlueprint };

/** Why a directory is broken, in one sentence for the `broken` list. */
class BrokenDirectory extends Error {}

/**
 * Reads one blueprint directory afresh (every request reads the disk, so an edit made there is
 * seen at once). A missing or malformed file makes the entry broken, never an exception.
 */
export async function readBlueprint(directory: string, name: string): Promise<BlueprintEntry> {
  try {
    return { ok: true, ...(await readDirectory(directory, name)) };
  } catch (error) {
    if (error instanceof BrokenDirectory) return { ok: false, broken: { name, error: error.message } };
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, broken: { name, error: `the directory could not be read (${code ?? 'unknown error'})` } };
  }
}

async function readDirectory(directory: string, name: string): Promise<{ blueprint: Blueprint; agentFile: Record<string, unknown> }> {
  const agentText = await optionalText(join(directory, BLUEPRINT_FILES.agent));
  if (agentText === undefined) throw new BrokenDirectory(`${BLUEPRINT_FILES.agent} is missing`);
  const agent = checkAgentFile(parseJson(agentText, BLUEPRINT_FILES.agent));
  if (!agent.ok) throw new BrokenDirectory(`${BLUEPRINT_FILES.agent}: ${agent.problem}`);
  const systemPrompt = await optionalText(join(directory, BLUEPRINT_FILES.systemPrompt));
  const mcpText = await optionalText(join(directory, BLUEPRINT_FILES.mcp));
  let mcpServers: Record<string, unknown> | null = null;
  if (mcpText !== undefined) {
    const mcp = checkMcpFile(parseJson(mcpText, BLUEPRINT_FILES.mcp));
    if (!mcp.ok) throw new BrokenDirectory(`${BLUEPRINT_FILES.mcp}: ${mcp.problem}`);
    mcpServers = mcp.value.mcpServers;
  }
  const times = await fileTimes(directory);
  const file = agent.value;
  const blueprint: Blueprint = {
    name,
    description: file.description ?? '',
    system_prompt: systemPrompt ?? null,
    mcp_servers: mcpServers,
    skills: file.skills ?? [],
    tags: file.tags ?? [],
    status: times.disabled ? 'inactive' : 'active',
    created_at: validTimestamp(file.created_at) ?? times.created.toISOString(),
    modified_at: times.modified.toISOString(),
    authority: file.authority ?? null,
    parameters_schema: file.parameters_schema ?? null,
  };
  return { blueprint, agentFile: file };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BrokenDirectory(`${file} is not valid JSON`);
  }
}

async function optionalText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * When the directory was made (its birth time where the file system keeps one) and last changed:
 * the newest change of the directory itself (a file added or removed, `.disabled` included) or of
 * any of its files.
 */
async function fileTimes(directory: string): Promise<{ created: Date; modified: Date; disabled: boolean }> {
  const own = await stat(directory);
  let modified = own.mtimeMs;
  let disabled = false;
  for (const file of Object.values(BLUEPRINT_FILES)) {
    const info = await stat(join(directory, file)).catch(() => undefined);
    if (info === undefined) continue;
    if (file === BLUEPRINT_FILES.disabled) disabled = true;
    modified = Math.max(modified, info.mtimeMs);
  }
  const created = own.birthtimeMs > 0 ? own.birthtimeMs : own.mtimeMs;
  return { created: new Date(created), modified: new Date(modified), disabled };
}

function validTimestamp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
