import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlueprintList } from '@caracal/protocol';
import { isBlueprintName } from './blueprint-name.ts';
import { readBlueprint } from './read-blueprint.ts';

/**
 * Every blueprint directory of a zone's folder, by name. A directory that cannot be read, or whose
 * name is not a blueprint name, is listed under `broken`; hidden entries (the writer's temporary
 * and deleted directories) and plain files are skipped. A zone without a folder has none.
 */
export async function listBlueprints(zoneDir: string, filter: { tags: readonly string[] }): Promise<BlueprintList> {
  const entries = await readdir(zoneDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const list: BlueprintList = { agents: [], broken: [] };
  for (const name of names) {
    if (!isBlueprintName(name)) {
      list.broken.push({ name, error: 'the directory name is not a blueprint name (letters, digits, _ and -, at most 60 characters)' });
      continue;
    }
    const entry = await readBlueprint(join(zoneDir, name), name);
    if (!entry.ok) list.broken.push(entry.broken);
    else if (filter.tags.every((tag) => entry.blueprint.tags.includes(tag))) list.agents.push(entry.blueprint);
  }
  return list;
}
