import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { agentSessionArgument } from '../id-arguments.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { sessionClientFor } from './session-options.ts';

/** `caracal session delete <id>`: the session and its subtree leave the seed views, their events are deleted. */
export function registerSessionDelete(session: Command, context: CommandContext): void {
  withJsonOption(session.command('delete').description('Delete a session, its subtree and their events').argument('<session>', 'session id (agentsess_…)', agentSessionArgument))
    .addHelpText(
      'after',
      '\nOutput: deleted <id> (<n> sessions, <m> events)\nA session that is running or idle, or has such a descendant, is refused (exit 1, session_active): stop it first.',
    )
    .action(async (sessionId: string, options: JsonOptions) => {
      const { client } = sessionClientFor(context);
      const answer = await context.progress(`deleting ${sessionId}…`, () => client.deleteSession(sessionId));
      if (options.json === true) {
        context.output.json(answer);
        return;
      }
      const sessions = Array.isArray(answer.deleted_sessions) ? answer.deleted_sessions.length : '?';
      context.output.line(`deleted ${sessionId} (${sessions} sessions, ${String(answer.deleted_events ?? '?')} events)`);
    });
}
