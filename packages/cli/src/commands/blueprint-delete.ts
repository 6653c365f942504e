import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { blueprintNameArgument } from '../id-arguments.ts';
import { blueprintClientFor, withBlueprintOptions, type BlueprintOptions } from './blueprint-options.ts';

/** `caracal blueprint delete <name>`: removes the blueprint's directory (broken or not). */
export function registerBlueprintDelete(blueprint: Command, context: CommandContext): void {
  withBlueprintOptions(blueprint.command('delete').description('Delete a blueprint (operator mandate)').argument('<name>', 'blueprint name', blueprintNameArgument))
    .action(async (name: string, options: BlueprintOptions) => {
      await context.progress(`deleting blueprint ${name}…`, () => blueprintClientFor(context).remove(name));
      if (options.json === true) context.output.json({ name, deleted: true });
      else context.output.line(`deleted blueprint ${name}`);
    });
}
