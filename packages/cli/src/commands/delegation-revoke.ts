import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';
import { delegationEdgeArgument } from '../id-arguments.ts';

/**
 * `caracal delegation revoke <edge>`: cascading revocation; prints the counts exactly as
 * docs/cli.md shows.
 */
export function registerDelegationRevoke(delegation: Command, context: CommandContext): void {
  withOperatorOptions(
    delegation.command('revoke').description('Revoke a delegation edge and all edges that depend on it').argument('<edge>', 'delegation edge id (deledge_…)', delegationEdgeArgument),
  )
    .addHelpText(
      'after',
      '\nOutput: {"revoked_edges": n, "affected_sessions": m}\nMandates issued before revocation stay valid until they expire (at most 15 minutes).',
    )
    .action(async (edgeId: string, options: OperatorOptions) => {
      const client = coordinatorFor(context, options);
      const result = await context.progress(`revoking ${edgeId}…`, () => client.revokeDelegation(edgeId));
      if (options.json === true) context.output.json(result);
      else context.output.line(`{"revoked_edges": ${result.revoked_edges}, "affected_sessions": ${result.affected_sessions}}`);
    });
}
