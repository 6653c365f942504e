import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { EDGE_COLUMNS } from './columns.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';
import { agentSessionArgument } from '../id-arguments.ts';

/** Inbound and outbound differ only in which end of the edge matches the session. */
export function registerEdgeList(
  delegation: Command,
  context: CommandContext,
  direction: { name: 'inbound' | 'outbound'; description: string; help: string },
): void {
  const field = direction.name === 'inbound' ? 'target_session_id' : 'source_session_id';
  withOperatorOptions(delegation.command(direction.name).description(direction.description).argument('<session>', 'agent session id (agentsess_…)', agentSessionArgument))
    .addHelpText('after', `\nColumns: ${EDGE_COLUMNS.join(', ')}\n${direction.help}`)
    .action(async (sessionId: string, options: OperatorOptions) => {
      const client = coordinatorFor(context, options);
      const filter = field === 'target_session_id' ? { target_session_id: sessionId } : { source_session_id: sessionId };
      const edges = await context.progress(`listing ${direction.name} delegation edges…`, () => client.listDelegations(filter));
      context.output.list(edges, { columns: EDGE_COLUMNS, json: options.json === true });
    });
}
