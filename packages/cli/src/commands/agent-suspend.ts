import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerStateChange } from './agent-state-change.ts';

/** `caracal agent suspend <id>`: blocks new exchanges for the session and its subtree. */
export function registerAgentSuspend(agent: Command, context: CommandContext): void {
  registerStateChange(agent, context, {
    name: 'suspend',
    description: 'Suspend an agent session (and its descendants) until it is resumed',
    done: 'suspended',
    doing: 'suspending',
    help: 'New token exchanges are blocked; mandates already issued keep working until they expire.',
    apply: (client, sessionId) => client.suspendAgent(sessionId),
  });
}
