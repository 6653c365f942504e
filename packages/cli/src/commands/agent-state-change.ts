import type { ResumeResult, SuspendResult, TerminateResult, UncheckedBody } from '@caracal/protocol';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import type { CoordinatorClient } from '../http/coordinator-client.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';
import { agentSessionArgument } from '../id-arguments.ts';

/** What differs between suspend, resume and terminate; the shape of the command is the same. */
export interface StateChange {
  name: 'suspend' | 'resume' | 'terminate';
  description: string;
  /** Past tense printed before the id: `terminated agentsess_…` (docs/cli.md). */
  done: string;
  /** Shown while waiting: `suspending`. */
  doing: string;
  help: string;
  apply(client: CoordinatorClient, sessionId: string): Promise<UncheckedBody<SuspendResult> | UncheckedBody<ResumeResult> | UncheckedBody<TerminateResult>>;
}

/** Registers one state-changing agent command: human output `<done> <id>`, `--json` the server's answer plus `id`. */
export function registerStateChange(agent: Command, context: CommandContext, change: StateChange): void {
  withOperatorOptions(agent.command(change.name).description(change.description).argument('<session>', 'agent session id (agentsess_…)', agentSessionArgument))
    .addHelpText('after', `\n${change.help}`)
    .action(async (sessionId: string, options: OperatorOptions) => {
      const client = coordinatorFor(context, options);
      const result = await context.progress(`${change.doing} ${sessionId}…`, () => change.apply(client, sessionId));
      if (options.json === true) context.output.json({ id: sessionId, ...result });
      else context.output.line(`${change.done} ${sessionId}`);
    });
}
