import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { blueprintNameArgument } from '../id-arguments.ts';
import { blueprintClientFor, withBlueprintOptions, type BlueprintOptions } from './blueprint-options.ts';

/** `caracal blueprint get <name>`: one blueprint, every field the server returns. */
export function registerBlueprintGet(blueprint: Command, context: CommandContext): void {
  withBlueprintOptions(blueprint.command('get').description('Fetch one blueprint by name').argument('<name>', 'blueprint name', blueprintNameArgument))
    .action(async (name: string, options: BlueprintOptions) => {
      const found = await context.progress(`fetching blueprint ${name}…`, () => blueprintClientFor(context).get(name));
      context.output.record(found, { json: options.json === true });
    });
}
