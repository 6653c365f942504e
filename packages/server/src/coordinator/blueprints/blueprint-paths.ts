import { join } from 'node:path';
import { NAME_PATTERN } from '@caracal/protocol';
import { assertBlueprintName } from './blueprint-name.ts';

/** The files of a blueprint directory, as the seed project lays them out. */
export const BLUEPRINT_FILES = {
  agent: 'agent.json',
  systemPrompt: 'agent.system-prompt.md',
  mcp: 'agent.mcp.json',
  disabled: '.disabled',
} as const;

const ZONE = new RegExp(NAME_PATTERN);

/**
 * A zone's blueprints: `<agents dir>/<zone id>/`, laid out inside as the seed project's agents dir
 * (docs/decisions/2026-12-04-blueprint-store.md). Zone ids come from verified mandates; they are
 * checked all the same before they become a path.
 */
export function zoneBlueprintsDir(agentsDir: string, zoneId: string): string {
  if (!ZONE.test(zoneId)) throw new TypeError(`not a zone id: ${JSON.stringify(zoneId)}`);
  return join(agentsDir, zoneId);
}

/** `<agents dir>/<zone id>/<name>/`; the name is checked here, on every path built from one. */
export function blueprintDir(agentsDir: string, zoneId: string, name: string): string {
  assertBlueprintName(name);
  return join(zoneBlueprintsDir(agentsDir, zoneId), name);
}
