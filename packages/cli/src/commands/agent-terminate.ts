import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerStateChange } from './agent-state-change.ts';

/** `caracal agent terminate <id>`: irreversible; prints `terminated <id>` (docs/cli.md). */
export function registerAgentTerminate(agent: Command, context: CommandContext): void {
  registerStateChange(agent, context, {
    name: 'terminate',
    description: 'Permanently terminate an agent session and all of its descendants',
    done: 'terminated',
    doing: 'terminating',
    help: 'Terminating a session also terminates its descendants recursively and invalidates their delegation edges.\nTerminated sessions cannot be resumed.',
    apply: (client, sessionId) => client.terminateAgent(sessionId),
  });
}
