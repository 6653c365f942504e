import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerBlueprintCreate } from './blueprint-create.ts';
import { registerBlueprintDelete } from './blueprint-delete.ts';
import { registerBlueprintGet } from './blueprint-get.ts';
import { registerBlueprintList } from './blueprint-list.ts';
import { registerBlueprintStatus } from './blueprint-status.ts';

/** `caracal blueprint …`: the zone's agent blueprints (docs/blueprints.md). */
export function registerBlueprintCommands(program: Command, context: CommandContext): void {
  const blueprint = program.command('blueprint').description('Manage agent blueprints of the zone (Coordinator)');
  registerBlueprintList(blueprint, context);
  registerBlueprintGet(blueprint, context);
  registerBlueprintCreate(blueprint, context);
  registerBlueprintStatus(blueprint, context, { name: 'enable' });
  registerBlueprintStatus(blueprint, context, { name: 'disable' });
  registerBlueprintDelete(blueprint, context);
}
