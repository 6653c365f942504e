import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { blueprintNameArgument } from '../id-arguments.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { blueprintClientFor } from './token-zone-clients.ts';

/** `caracal blueprint get <name>`: one blueprint, every field the server returns. */
export function registerBlueprintGet(blueprint: Command, context: CommandContext): void {
  withJsonOption(blueprint.command('get').description('Fetch one blueprint by name').argument('<name>', 'blueprint name', blueprintNameArgument), 'print JSON (lists print an array) instead of text')
    .action(async (name: string, options: JsonOptions) => {
      const found = await context.progress(`fetching blueprint ${name}…`, () => blueprintClientFor(context).get(name));
      context.output.record(found, { json: options.json === true });
    });
}
