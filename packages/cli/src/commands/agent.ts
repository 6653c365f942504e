import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerAgentGet } from './agent-get.ts';
import { registerAgentList } from './agent-list.ts';
import { registerAgentResume } from './agent-resume.ts';
import { registerAgentSuspend } from './agent-suspend.ts';
import { registerAgentTerminate } from './agent-terminate.ts';
import { registerAgentTree } from './agent-tree.ts';

/** `caracal agent …`: the operator's view of agent sessions at the Coordinator. */
export function registerAgentCommands(program: Command, context: CommandContext): void {
  const agent = program.command('agent').description('Inspect and control agent sessions (Coordinator)');
  registerAgentList(agent, context);
  registerAgentGet(agent, context);
  registerAgentTree(agent, context);
  registerAgentSuspend(agent, context);
  registerAgentResume(agent, context);
  registerAgentTerminate(agent, context);
}
