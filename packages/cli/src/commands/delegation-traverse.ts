import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { TRAVERSE_COLUMNS } from './columns.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';
import { delegationEdgeArgument } from '../id-arguments.ts';

/** `caracal delegation traverse <edge>`: the chain from the root to the leaf, by depth. */
export function registerDelegationTraverse(delegation: Command, context: CommandContext): void {
  withOperatorOptions(
    delegation.command('traverse').description('Walk the full delegation chain for an edge').argument('<edge>', 'delegation edge id (deledge_…)', delegationEdgeArgument),
  )
    .addHelpText('after', `\nColumns: ${TRAVERSE_COLUMNS.join(', ')}\nEvery edge in the chain from the root to the leaf, ordered by depth.`)
    .action(async (edgeId: string, options: OperatorOptions) => {
      const client = coordinatorFor(context, options);
      const chain = await context.progress('walking the delegation chain…', () => client.traverseDelegation(edgeId));
      context.output.list(chain, { columns: TRAVERSE_COLUMNS, json: options.json === true });
    });
}
