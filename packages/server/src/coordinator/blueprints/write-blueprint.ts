import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { conflict, notFound } from '../../http/server-error.ts';
import { BLUEPRINT_FILES } from './blueprint-paths.ts';

/** What a blueprint directory holds, file by file; `undefined` removes the optional files. */
export interface BlueprintFiles {
  agent: Record<string, unknown>;
  systemPrompt: string | undefined;
  mcpServers: Record<string, unknown> | undefined;
}

const hidden = (directory: string, kind: string): string => join(dirname(directory), `.${kind}-${randomBytes(6).toString('hex')}`);

/**
 * Creates the directory complete or not at all: the files are written into a hidden folder that
 * is then renamed into place. The rename fails when the name exists (even made by another
 * replica a moment before), so a name is created once.
 */
export async function createBlueprintDir(directory: string, files: BlueprintFiles): Promise<void> {
  await mkdir(dirname(directory), { recursive: true });
  const staging = hidden(directory, 'creating');
  await mkdir(staging);
  try {
    await writeFiles(staging, files);
    await rename(staging, directory);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EISDIR') throw conflict(`blueprint ${basenameOf(directory)} already exists`);
    throw error;
  }
}

/** Rewrites the files of an existing directory, each replaced whole (a reader never sees half a file). */
export async function rewriteBlueprintDir(directory: string, files: BlueprintFiles): Promise<void> {
  await writeFiles(directory, files);
}

/** `.disabled` present means inactive (the seed project's convention). */
export async function setBlueprintDisabled(directory: string, disabled: boolean): Promise<void> {
  const marker = join(directory, BLUEPRINT_FILES.disabled);
  if (disabled) await writeFile(marker, '');
  else await unlink(marker).catch(ignoreMissing);
}

/** Moves the directory out of sight first (one rename), then removes it: it never half-exists. */
export async function deleteBlueprintDir(directory: string): Promise<void> {
  const doomed = hidden(directory, 'deleting');
  try {
    await rename(directory, doomed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`blueprint ${basenameOf(directory)} not found`);
    throw error;
  }
  await rm(doomed, { recursive: true, force: true });
}

async function writeFiles(directory: string, files: BlueprintFiles): Promise<void> {
  await replaceFile(join(directory, BLUEPRINT_FILES.agent), `${JSON.stringify(files.agent, null, 2)}\n`);
  await optionalFile(join(directory, BLUEPRINT_FILES.systemPrompt), files.systemPrompt);
  const mcp = files.mcpServers === undefined ? undefined : `${JSON.stringify({ mcpServers: files.mcpServers }, null, 2)}\n`;
  await optionalFile(join(directory, BLUEPRINT_FILES.mcp), mcp);
}

async function optionalFile(path: string, text: string | undefined): Promise<void> {
  if (text === undefined) await unlink(path).catch(ignoreMissing);
  else await replaceFile(path, text);
}

/** Write beside, then rename over: atomic on one file system. */
async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, text);
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(ignoreMissing);
    throw error;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

function basenameOf(directory: string): string {
  return directory.slice(dirname(directory).length + 1);
}
