import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';
import { agentSessionArgument } from '../id-arguments.ts';

/** `caracal agent get <id>`: one agent session, every field the server returns. */
export function registerAgentGet(agent: Command, context: CommandContext): void {
  withOperatorOptions(agent.command('get').description('Fetch a single agent session by id').argument('<session>', 'agent session id (agentsess_…)', agentSessionArgument))
    .action(async (sessionId: string, options: OperatorOptions) => {
      const client = coordinatorFor(context, options);
      const session = await context.progress('fetching the agent session…', () => client.getAgent(sessionId));
      context.output.record(session, { json: options.json === true });
    });
}
