import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { agentSessionArgument } from '../id-arguments.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { sessionClientFor } from './session-options.ts';

/** `caracal session get <id>`: one seed session, every field. */
export function registerSessionGet(session: Command, context: CommandContext): void {
  withJsonOption(session.command('get').description('Fetch one session: run status, authority, metadata').argument('<session>', 'session id (agentsess_…)', agentSessionArgument))
    .action(async (sessionId: string, options: JsonOptions) => {
      const { client } = sessionClientFor(context);
      const found = await context.progress('fetching the session…', () => client.getSession(sessionId));
      context.output.record(found, { json: options.json === true });
    });
}
