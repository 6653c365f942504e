import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { blueprintNameArgument } from '../id-arguments.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { blueprintClientFor } from './token-zone-clients.ts';

/** `caracal blueprint enable|disable <name>`: the status toggle (`.disabled` in its directory). */
export function registerBlueprintStatus(blueprint: Command, context: CommandContext, change: { name: 'enable' | 'disable' }): void {
  const status = change.name === 'enable' ? 'active' : 'inactive';
  const done = change.name === 'enable' ? 'enabled' : 'disabled';
  const description = change.name === 'enable' ? 'Make a blueprint runnable again' : 'Make a blueprint inactive: spawns and runs from it are refused (409)';
  withJsonOption(blueprint.command(change.name).description(description).argument('<name>', 'blueprint name', blueprintNameArgument), 'print JSON (lists print an array) instead of text')
    .action(async (name: string, options: JsonOptions) => {
      const changed = await context.progress(`${change.name === 'enable' ? 'enabling' : 'disabling'} blueprint ${name}…`, () =>
        blueprintClientFor(context).setStatus(name, status),
      );
      if (options.json === true) context.output.json(changed);
      else context.output.line(`${done} blueprint ${name}`);
    });
}
