import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { agentSessionArgument } from '../id-arguments.ts';
import { sessionClientFor, withSessionOptions, type SessionOptions } from './session-options.ts';

/** `caracal session get <id>`: one seed session, every field. */
export function registerSessionGet(session: Command, context: CommandContext): void {
  withSessionOptions(session.command('get').description('Fetch one session: run status, authority, metadata').argument('<session>', 'session id (agentsess_…)', agentSessionArgument))
    .action(async (sessionId: string, options: SessionOptions) => {
      const { client } = sessionClientFor(context);
      const found = await context.progress('fetching the session…', () => client.getSession(sessionId));
      context.output.record(found, { json: options.json === true });
    });
}
