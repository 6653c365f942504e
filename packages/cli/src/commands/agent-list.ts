import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { AGENT_COLUMNS } from './columns.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';

/** `caracal agent list`: every agent session in the zone, all pages. */
export function registerAgentList(agent: Command, context: CommandContext): void {
  withOperatorOptions(agent.command('list').description('List all agent sessions in the zone'))
    .addHelpText('after', `\nColumns: ${AGENT_COLUMNS.join(', ')}\nExample: caracal agent list --json | jq '.[] | select(.status == "active")'`)
    .action(async (options: OperatorOptions) => {
      const client = coordinatorFor(context, options);
      const sessions = await context.progress('listing agent sessions…', () => client.listAgents());
      context.output.list(sessions, { columns: AGENT_COLUMNS, json: options.json === true });
    });
}
