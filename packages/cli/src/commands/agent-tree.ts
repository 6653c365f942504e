import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { CHILD_COLUMNS } from './columns.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';
import { agentSessionArgument } from '../id-arguments.ts';

/** `caracal agent tree <id>` (alias `children`): the direct children of a session. */
export function registerAgentTree(agent: Command, context: CommandContext): void {
  withOperatorOptions(
    agent
      .command('tree')
      .alias('children')
      .description('List the direct child sessions of an agent session')
      .argument('<session>', 'agent session id (agentsess_…)', agentSessionArgument),
  )
    .addHelpText('after', `\nColumns: ${CHILD_COLUMNS.join(', ')}\nTo walk the full tree, run tree on each child's id.`)
    .action(async (sessionId: string, options: OperatorOptions) => {
      const client = coordinatorFor(context, options);
      const children = await context.progress('listing child sessions…', () => client.listChildren(sessionId));
      context.output.list(children, { columns: CHILD_COLUMNS, json: options.json === true });
    });
}
