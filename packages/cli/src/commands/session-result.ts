import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { agentSessionArgument } from '../id-arguments.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { sessionClientFor } from './session-options.ts';

/** `caracal session result <id>`: the newest `result` event's text and data. */
export function registerSessionResult(session: Command, context: CommandContext): void {
  withJsonOption(session.command('result').description("Print a finished or idle session's result").argument('<session>', 'session id (agentsess_…)', agentSessionArgument))
    .addHelpText('after', '\nOutput: result_text and result_data of the newest result event.\nA session whose run is neither finished nor idle has none yet (exit 1, run_not_finished).')
    .action(async (sessionId: string, options: JsonOptions) => {
      const { client } = sessionClientFor(context);
      const result = await context.progress('fetching the result…', () => client.getResult(sessionId));
      context.output.record(result, { json: options.json === true });
    });
}
