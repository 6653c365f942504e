import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { blueprintNameArgument } from '../id-arguments.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { blueprintClientFor } from './token-zone-clients.ts';

/** `caracal blueprint delete <name>`: removes the blueprint's directory (broken or not). */
export function registerBlueprintDelete(blueprint: Command, context: CommandContext): void {
  withJsonOption(blueprint.command('delete').description('Delete a blueprint (operator mandate)').argument('<name>', 'blueprint name', blueprintNameArgument), 'print JSON (lists print an array) instead of text')
    .action(async (name: string, options: JsonOptions) => {
      await context.progress(`deleting blueprint ${name}…`, () => blueprintClientFor(context).remove(name));
      if (options.json === true) context.output.json({ name, deleted: true });
      else context.output.line(`deleted blueprint ${name}`);
    });
}
