import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a blueprint straight into a zone's folder of the agents dir, as an operator editing the
 * directory would (the server reads it on the next request): runs of a name need its blueprint.
 */
export function writeBlueprint(agentsDir: string, zoneId: string, name: string, agent: Record<string, unknown> = {}, options: { disabled?: boolean } = {}): void {
  const directory = join(agentsDir, zoneId, name);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'agent.json'), JSON.stringify({ name, description: `${name} (test)`, ...agent }));
  if (options.disabled === true) writeFileSync(join(directory, '.disabled'), '');
}
