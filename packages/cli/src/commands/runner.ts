import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { runnerArgument } from '../id-arguments.ts';
import { RUNNER_COLUMNS } from './columns.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { runsClientFor } from './token-zone-clients.ts';

/** `caracal runner …`: the runners registered in the zone (docs/runs.md). */
export function registerRunnerCommands(program: Command, context: CommandContext): void {
  const runner = program.command('runner').description('List and remove the runners that execute runs');

  withJsonOption(runner.command('list').description("List the zone's runners"))
    .addHelpText('after', `\nColumns: ${RUNNER_COLUMNS.join(', ')}`)
    .action(async (options: JsonOptions) => {
      const client = runsClientFor(context);
      const runners = await context.progress('listing runners…', () => client.listRunners());
      context.output.list(runners, { columns: RUNNER_COLUMNS, json: options.json === true });
    });

  withJsonOption(runner.command('remove').description('Deregister a runner; its runs go back to pending or fail').argument('<runner>', 'runner id (runner_…)', runnerArgument))
    .action(async (runnerId: string, options: JsonOptions) => {
      const client = runsClientFor(context);
      await context.progress(`removing ${runnerId}…`, () => client.removeRunner(runnerId));
      if (options.json === true) context.output.json({ runner_id: runnerId, removed: true });
      else context.output.line(`removed ${runnerId}`);
    });
}
