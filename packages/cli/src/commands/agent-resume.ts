import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerStateChange } from './agent-state-change.ts';

/** `caracal agent resume <id>`: lifts a suspension. */
export function registerAgentResume(agent: Command, context: CommandContext): void {
  registerStateChange(agent, context, {
    name: 'resume',
    description: 'Resume a suspended agent session',
    done: 'resumed',
    doing: 'resuming',
    help: 'Terminated sessions cannot be resumed.',
    apply: (client, sessionId) => client.resumeAgent(sessionId),
  });
}
